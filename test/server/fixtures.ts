// Real scenario text the server tests run on (the two examples of the language design).

export const REALIZABLE = `scenario "migrate_pages(2) and a THP split by mprotect"
kernel 6.12

node 0 memory 1G
node 1 memory 1G

# The process maps one THP and splits its PMD mapping.
# Both comment lines fold together.
process app
  mmap heap anon private 2M align 2M thp
  touch heap write on node 0           # one PMD-mapped THP
  mprotect heap[0..4K] read            # the PMD mapping is split: PTE-mapped THP

migrate_pages app from 0 to 1
  expect return 0
  expect page app heap[8K] on node 1

mbind app heap[0..2M] MPOL_BIND nodes 1 flags MPOL_MF_MOVE|MPOL_MF_STRICT
  expect return 0
`;

export const MODEL_ONLY = `scenario "a contended lock during batched unmap"
kernel 6.12

node 0 memory 64M
node 1 memory 64M

folio A order 0 node 0 anon lru
folio B order 0 node 0 anon lru
folio C order 9 node 0 anon lru
inject lock B held passes 0..4
inject alloc node 1 fails after 2

migrate_pages [A, B, C] to node 1 mode MIGRATE_ASYNC reason MR_COMPACTION
  expect event MIGRATEPAGE_UNMAP on A
  expect event EAGAIN on B pass 0
  expect event ENOMEM on C
  expect stats nr_thp_split 1
  expect return 1
`;
