// Every anon_vma reference migration takes goes through folio_get_anon_vma() (mm/rmap.c),
// which returns NULL, taking none, for a folio that is not mapped (`if (!folio_mapped(folio))
// goto out`). migrate_folio_unmap() holds the reference until migrate_folio_move() drops it;
// unmap_and_move_huge_page() takes one for a private (anon) hugetlb page; the THP split takes
// one and fails with -EBUSY without it. OpResult.anonVmaRefs counts the references taken, as the
// parity runner's kretprobe on folio_get_anon_vma does on a real kernel.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../scenario';
import { run, Kind, F } from '../../engine';
import type { RunResult } from '../../engine';

function runText(text: string, profile = '6.12'): RunResult {
  const p = parse(text);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const r = run(p.scenario, { profile });
  assert.equal(r.error, undefined, r.error?.message);
  for (const e of r.expects) assert.ok(e.ok, e.message);
  return r;
}

const HEAD = 'scenario "anon_vma"\nnode 0 memory 64M\nnode 1 memory 64M\n';
const MOVE_X = 'migrate_pages [X] to node 1 mode MIGRATE_SYNC reason MR_MEMPOLICY_MBIND\n  expect return 0\n';

function refAtUnmap(r: RunResult): { atUnmap: number; after: number } {
  const t = r.trace;
  let at = -1;
  for (let i = 0; i < t.n && at < 0; i++) if (t.event(i).name === 'MIGRATEPAGE_UNMAP') at = i;
  assert.ok(at >= 0, 'the folio was unmapped');
  const x = t.event(at).folio;
  return { atUnmap: t.stateAt(at).anonVmaRef(x), after: r.state.anonVmaRef(x) };
}

test('an unmapped anon folio migrates without an anon_vma reference', () => {
  const r = runText(HEAD + 'folio X order 0 node 0 anon lru\n' + MOVE_X);
  assert.deepEqual(refAtUnmap(r), { atUnmap: 0, after: 0 });
  assert.equal(r.ops[0].anonVmaRefs, 0);
});

test('a mapped anon folio holds an anon_vma reference from unmap to move', () => {
  const setup = 'process app\n  mmap heap anon private 2M nothp\n  touch heap[0..8K] write on node 0\n';
  const r = runText(HEAD + setup + 'folio X order 0 node 0 anon lru mapped app heap[1M]\n' + MOVE_X);
  assert.deepEqual(refAtUnmap(r), { atUnmap: 1, after: 0 });
  assert.equal(r.ops[0].anonVmaRefs, 1);
});

test('a pinned anon page that cannot be unmapped takes a reference again on every pass', () => {
  // try_to_migrate() fails on a pinned anon-exclusive page: -EAGAIN after folio_get_anon_vma(), undone each
  // pass; 6.12 retries 3 async passes, then 7 sync ones in migrate_pages_sync()
  const setup = 'process app\n  mmap heap anon private 2M nothp\n';
  const r = runText(HEAD + setup + 'folio X order 0 node 0 anon lru exclusive pins 1 mapped app heap[0]\nmigrate_pages [X] to node 1 mode MIGRATE_SYNC reason MR_SYSCALL\n  expect return 1\n');
  assert.equal(r.ops[0].anonVmaRefs, 10);
  assert.equal(r.state.anonVmaRef(0), 0);
});

test('a private hugetlb page is anon and takes a reference; a shared one does not', () => {
  const pools = 'node 0 memory 64M hugepages 2\nnode 1 memory 64M hugepages 2\n';
  const body = (sharing: string) =>
    `scenario "hugetlb"\n${pools}process app\n  mmap h hugetlb ${sharing} 2M\n  touch h write on node 0\nmigrate_pages app from 0 to 1\n  expect return 0\n  expect page app h[0] on node 1\n`;
  assert.equal(runText(body('private')).ops[0].anonVmaRefs, 1);
  assert.equal(runText(body('shared')).ops[0].anonVmaRefs, 0);
});

test('the THP split of a mapped anon folio takes a reference, of an unmapped one fails with -EBUSY', () => {
  const mapped = runText(
    HEAD + 'process app\n  mmap heap anon private 2M align 2M thp\nfolio C order 9 node 0 anon lru mapped app heap[0] pmd\ninject alloc node 1 fails\nmigrate_pages [C] to node 1 mode MIGRATE_ASYNC reason MR_SYSCALL\n  expect event split on C\n',
  );
  // the split's own reference, then none for the 512 pieces: their destinations cannot be allocated either
  assert.equal(mapped.ops[0].anonVmaRefs, 1);
  const unmapped = runText(HEAD + 'folio C order 9 node 0 anon lru\ninject alloc node 1 fails\nmigrate_pages [C] to node 1 mode MIGRATE_ASYNC reason MR_SYSCALL\n  expect event split_failed on C\n  expect no event split\n');
  assert.equal(unmapped.ops[0].anonVmaRefs, 0);
});

test('a write through a MAP_PRIVATE shmem mapping maps an anon copy; the page-cache page stays unmapped', () => {
  const r = runText(HEAD + 'process app\n  mmap m shmem private 8K\n  touch m[0] read on node 0\n  touch m[4K] write on node 0\nmigrate_pages app from 0 to 1\n  expect return 0\n');
  const st = r.state;
  const app = st.procByName('app')!;
  const m = app.vmas.find((v) => v.name === 'm')!;
  const kindAt = (off: number) => st.kind(Math.floor(st.getPte(app.id, (m.start + off) / st.pageSize) / 2 ** 30));
  assert.equal(kindAt(0), Kind.SHMEM);
  assert.equal(kindAt(4096), Kind.ANON);
  // do_cow_fault() read m[4K] into the page cache first: a shmem folio nobody maps
  let unmappedShmem = 0;
  for (let f = 0; f < st.nFolios; f++) if (st.kind(f) === Kind.SHMEM && st.mapcount(f) === 0 && !st.has(f, F.FREED)) unmappedShmem++;
  assert.equal(unmappedShmem, 1);
  assert.equal(r.ops[0].anonVmaRefs, 1);
});
