// The one documentation table of the language. Hover, completion details,
// signature help and docs/language.md are all generated from it, so a word is
// explained the same way everywhere. Texts are written from
// /work/shared/reference/kernel-migration-spec.md, in kernel terms, naming the
// kernel function that acts on the word; `versions` says how the three
// profiles (6.1, 6.3-rc1, 6.12) differ where they do.

export type DocCategory =
  | 'keyword' // top-level statements of the header, machine and model setup
  | 'statement' // process-block statements (user-level setup)
  | 'operation' // the migration paths a scenario runs
  | 'expectation' // words after `expect`
  | 'option' // option words inside statements
  | 'value' // small fixed vocabularies (backing, sharing, prot, pin kind...)
  | 'folio-kind'
  | 'folio-flag'
  | 'fault'
  | 'mpol-mode'
  | 'mpol-mode-flag'
  | 'mpol-flag'
  | 'migrate-mode'
  | 'reason'
  | 'errno'
  | 'event'
  | 'vmstat'
  | 'stats'
  | 'place'
  | 'pfn-flag'
  | 'profile';

export type ProfileName = '6.1' | '6.3-rc1' | '6.12';

export interface DocEntry {
  name: string;
  category: DocCategory;
  /** the line form, with parameter labels in capitals (signature help highlights them) */
  syntax?: string;
  /** parameter labels as they appear in `syntax`, in order */
  params?: { label: string; doc: string }[];
  /** what the kernel does with it */
  doc: string;
  /** numeric value in the kernel, where it has one */
  value?: string;
  /** the string a tracepoint prints for it */
  trace?: string;
  versions?: Partial<Record<ProfileName, string>>;
}

type Extra = Omit<DocEntry, 'name' | 'category' | 'doc'>;
const e = (name: string, category: DocCategory, doc: string, extra: Extra = {}): DocEntry => ({ name, category, doc, ...extra });
const p = (label: string, doc: string): { label: string; doc: string } => ({ label, doc });

// ------------------------------------------------------------------ statements

const KEYWORDS: DocEntry[] = [
  e('scenario', 'keyword', 'Names the scenario. Shown in the test list, the debugger and reports. Has no effect on the model.', {
    syntax: 'scenario "TITLE"',
    params: [p('TITLE', 'a quoted title')],
  }),
  e('kernel', 'keyword', 'Chooses the kernel profile the engine runs: the behaviour of mm/migrate.c, mm/mempolicy.c and mm/gup.c of that version. Without it the newest profile (6.12) runs.', {
    syntax: 'kernel PROFILE',
    params: [p('PROFILE', '6.1, 6.3-rc1 or 6.12')],
  }),
  e('config', 'keyword', 'Sets an architecture option the migration paths depend on. Every profile models x86-64, which enables both; turning one off models an architecture without it. Model-only (the real kernels here are x86-64).', {
    syntax: 'config OPTION y|n',
    params: [p('OPTION', 'ARCH_ENABLE_THP_MIGRATION or ARCH_ENABLE_HUGEPAGE_MIGRATION'), p('y|n', 'enabled or not')],
  }),
  e('pagesize', 'keyword', 'Base page size (PAGE_SIZE). The model is x86-64: 4K only. Mapping sizes and syscall ranges are checked against it.', { syntax: 'pagesize SIZE', params: [p('SIZE', '4K')] }),
  e('pmdsize', 'keyword', 'PMD size (HPAGE_PMD_SIZE): the size of a PMD-mapped THP and of a hugetlb page here. 2M, so HPAGE_PMD_NR = 512 = NR_MAX_BATCHED_MIGRATION.', { syntax: 'pmdsize SIZE', params: [p('SIZE', '2M')] }),
  e('node', 'keyword', 'Declares a NUMA node with memory (N_MEMORY). `movable` carves a ZONE_MOVABLE part, which folio_is_longterm_pinnable() refuses, so FOLL_LONGTERM pins migrate out of it; `cma` a CMA area (same effect, model-only); `hugepages` the free 2M pages of the node\'s hugetlb pool, which alloc_migration_target() draws from for hugetlb destinations.', {
    syntax: 'node ID memory SIZE [movable SIZE] [cma SIZE] [hugepages N]',
    params: [p('ID', 'node id (0, 1, ...)'), p('SIZE', 'memory of the node'), p('N', 'free 2M huge pages')],
  }),
  e('process', 'keyword', 'Declares a task with its own mm. The indented block below it is its user-level setup, in order. `user` sets the credentials (ptrace_may_access() checks of migrate_pages(2)/move_pages(2)); `nice` gives CAP_SYS_NICE (MPOL_MF_MOVE_ALL, moving other users\' pages); `fork P` creates it by fork(2) from P, sharing P\'s anonymous pages copy-on-write (so they are mapped twice and count as shared); `cpu node N` is the node it runs on (local allocations, MPOL_LOCAL).', {
    syntax: 'process NAME [user root|nobody|UID] [nice] [fork PARENT] [cpu node N]',
    params: [p('NAME', 'process name'), p('UID', 'numeric uid'), p('PARENT', 'process to fork from'), p('N', 'node it runs on')],
  }),
  e('in', 'keyword', 'Reopens a process block later in the file, so setup can follow an operation (e.g. touch again after a migration).', { syntax: 'in NAME', params: [p('NAME', 'a declared process')] }),
  e('folio', 'keyword', 'Model-only: builds a folio directly, already isolated-ready, with its order, node, kind, flags, reference and pin counts and its mappings. The internal `migrate_pages [..]` takes such folios as its `from` list. An anon folio without `mapped` is one no page table maps any more, alive only in the swap cache: it migrates with no anon_vma reference, and a large one cannot be split (folio_get_anon_vma() finds no anon_vma: -EBUSY), so give a THP meant to be split a `mapped` place.', {
    syntax: 'folio NAME order N node N KIND [FLAGS...] [refs N] [pins N] [mapped PROCESS ADDR [pte|pmd]]',
    params: [p('NAME', 'folio name'), p('KIND', 'anon, file, shmem, hugetlb, zero, ksm, movable, device_private'), p('FLAGS...', 'lru locked dirty writeback ...'), p('PROCESS', 'process mapping it'), p('ADDR', 'address in that process')],
  }),
  e('inject', 'keyword', 'Model-only fault injection: a lock held by someone else, an extra reference, writeback, a failing allocation, a failing split or isolation, a movable_ops driver\'s answer, a pte_offset_map_lock() failure, a bad PMD, a machine check during the copy, or private data that cannot be released. Each makes the kernel path take the branch the real event would.', {
    syntax: 'inject FAULT [FOLIO] [held|fails|bad|once] [passes A..B] [after K] [on node N] [returns RESULT]',
    params: [p('FAULT', 'lock, dst_lock, ref, writeback, alloc, split, isolate, movable, pte_offset_map_lock, pmd, mce, private, release'), p('FOLIO', 'the folio it applies to'), p('A..B', 'the passes it lasts')],
  }),
];

const STATEMENTS: DocEntry[] = [
  e('mmap', 'statement', 'mmap(2) in the process: anon (MAP_ANONYMOUS), file (a tmpfs-backed file, page cache with a_ops->migrate_folio), shmem (MAP_SHARED|MAP_ANONYMOUS or memfd) or hugetlb (MAP_HUGETLB from the node pools); private or shared. `align` places it on that boundary (so a 2M anon mapping can hold a PMD-mapped THP); `thp`/`nothp` is madvise(MADV_HUGEPAGE/MADV_NOHUGEPAGE); protections default to read write.', {
    syntax: 'mmap NAME BACKING SHARING SIZE [align N] [thp|nothp] [at ADDR] [read] [write] [exec] [none]',
    params: [p('NAME', 'mapping name'), p('BACKING', 'anon, file, shmem or hugetlb'), p('SHARING', 'private or shared'), p('SIZE', 'page multiple (hugetlb: 2M multiple)'), p('N', 'alignment, a power of two'), p('ADDR', 'fixed address (MAP_FIXED_NOREPLACE)')],
  }),
  e('touch', 'statement', 'Faults the range in. `write` populates it (do_anonymous_page()/do_huge_pmd_anonymous_page(): a PMD-mapped THP when the mapping is aligned and THP is allowed), `read` on anonymous memory maps the shared zero page (or the huge zero page), which move_pages(2) reports as -EFAULT and migration skips. `on node N` allocates on that node, as a task bound there would.', {
    syntax: 'touch ADDR read|write [on node N]',
    params: [p('ADDR', 'heap, heap[8K] or heap[0..8K]'), p('N', 'node to allocate on')],
  }),
  e('munmap', 'statement', 'munmap(2) of a range. Unmapping part of a PMD-mapped THP splits the PMD (the folio stays large, PTE-mapped, and goes on the deferred-split queue).', { syntax: 'munmap ADDR', params: [p('ADDR', 'heap[0..4K]')] }),
  e('mprotect', 'statement', 'mprotect(2). Changing part of a PMD-mapped THP splits the PMD mapping (__split_huge_pmd()): the folio stays one large folio, now PTE-mapped — the qp->large case of the seed thread.', {
    syntax: 'mprotect ADDR PROT...',
    params: [p('ADDR', 'heap[0..4K]'), p('PROT...', 'none, read, write, exec')],
  }),
  e('mremap', 'statement', 'mremap(2) with MREMAP_MAYMOVE|MREMAP_FIXED: moves part of a mapping elsewhere; the moved part gets a new name. Moving part of a THP splits its PMD mapping.', {
    syntax: 'mremap ADDR as NAME [at ADDR]',
    params: [p('ADDR', 'heap[0..1M]'), p('NAME', 'name of the moved mapping')],
  }),
  e('mlock', 'statement', 'mlock(2): the folios become PG_mlocked and unevictable. Migration still moves them (migrate_folio_unmap() records PAGE_WAS_MLOCKED ≈v6.10+ and the move drains the LRU batch).', { syntax: 'mlock ADDR', params: [p('ADDR', 'heap or heap[0..8K]')] }),
  e('policy', 'statement', 'set_mempolicy(2) for the process: later faults allocate by this policy (mpol_new(), policy_nodemask()).', {
    syntax: 'policy MODE[|MODE_FLAGS] [nodes NODES]',
    params: [p('MODE', 'MPOL_BIND, MPOL_PREFERRED, ...'), p('NODES', '1, 0,1 or 0-2')],
  }),
];

const OPERATIONS: DocEntry[] = [
  e('migrate_pages', 'operation', 'Two forms. `migrate_pages PROC from A to B` is migrate_pages(2): kernel_migrate_pages() checks maxnode, the pid (ESRCH), ptrace access (EPERM) and cpusets, then do_migrate_pages() pairs source and destination nodes (node_remap()) and for each pair migrate_to_node() queues the whole address space (queue_pages_range() with MPOL_MF_DISCONTIG_OK) and calls migrate_pages(MIGRATE_SYNC, MR_SYSCALL); a non-negative result is added to the isolation failures. The return is the number of folios not migrated. `migrate_pages [A, B] to node N` calls the internal migrate_pages() (mm/migrate.c) on a hand-built list with any mode and reason (model-only).', {
    syntax: 'migrate_pages PROCESS from NODES to NODES [maxnode N] [by CALLER]  |  migrate_pages [FOLIOS] to node N [mode MODE] [reason REASON]',
    params: [p('PROCESS', 'target process (or pid N)'), p('NODES', 'node list'), p('CALLER', 'calling process'), p('FOLIOS', 'folio names'), p('MODE', 'MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC'), p('REASON', 'MR_*')],
    versions: {
      '6.1': 'Before v6.7 queue_pages_range() failures were not added: only migration-stage failures are returned. The batch code is the v6.3-final one (batches only in MIGRATE_ASYNC).',
      '6.3-rc1': 'Batched unmap and move in every mode; a contended lock while others are held gives -EDEADLOCK and the batch restarts.',
      '6.12': 'migrate_pages_sync(): 3 ASYNC passes over the batch, then 7 sync passes folio by folio; isolation failures (qp->nr_failed, one per folio) are added to the return.',
    },
  }),
  e('move_pages', 'operation', 'move_pages(2): kernel_move_pages(). Without `nodes` it is query mode (do_pages_stat(): the node of each page, -EFAULT for no VMA or the zero page, -ENOENT for nothing mapped). With `nodes`, do_pages_move() validates each node (ENODEV, EACCES), groups consecutive entries by node, isolates with add_folio_for_migration() (status -ENOENT, -EFAULT, -EACCES for shared pages without MOVE_ALL, -EBUSY when isolation fails) and flushes each group through migrate_pages(MIGRATE_SYNC, MR_SYSCALL). A failed flush leaves the batch\'s status unwritten and returns a positive count that mixes folios and untried entries.', {
    syntax: 'move_pages PROCESS pages ADDR, ADDR... [nodes N, N...] [flags FLAGS] [by CALLER]',
    params: [p('PROCESS', 'target process (or pid N)'), p('ADDR, ADDR...', 'page addresses'), p('N, N...', 'one node per page; none = query'), p('FLAGS', 'MPOL_MF_MOVE or MPOL_MF_MOVE_ALL'), p('CALLER', 'calling process')],
    versions: {
      '6.1': 'An unmapped address reports -EFAULT (follow_page with FOLL_DUMP, v4.3–v6.11).',
      '6.12': 'add_folio_for_migration() uses folio_walk: an unmapped address reports -ENOENT, the zero page -EFAULT.',
    },
  }),
  e('mbind', 'operation', 'mbind(2): do_mbind() validates flags (EINVAL outside STRICT|MOVE|MOVE_ALL), MOVE_ALL privilege (EPERM), alignment (EINVAL), then queue_pages_range() walks the range: with MPOL_MF_MOVE* misplaced folios are isolated (a PTE-mapped large folio once, qp->large), with STRICT alone a misplaced folio ends the walk. migrate_pages(MIGRATE_SYNC, MR_MEMPOLICY_MBIND) moves them. Returns 0 or an errno: -EIO only with MPOL_MF_STRICT when anything failed; without STRICT every failure, even -ENOMEM, is silent.', {
    syntax: 'mbind PROCESS ADDR MODE[|MODE_FLAGS] [nodes NODES] [flags FLAGS]',
    params: [p('PROCESS', 'the process'), p('ADDR', 'heap[0..2M]'), p('MODE', 'MPOL_BIND, ...'), p('NODES', 'node list'), p('FLAGS', 'MPOL_MF_MOVE|MPOL_MF_STRICT ...')],
    versions: {
      '6.1': 'Pre-v6.7 queue_pages_range(): STRICT|MOVE returns EIO when the walk returned 1 (an unmovable folio), failures are not counted per folio.',
      '6.12': 'v6.7+ counting: queue_pages_range() returns the number of folios it could not isolate (qp->nr_failed), a PTE-mapped large folio counted once.',
    },
  }),
  e('pin', 'operation', '`longterm`: pin_user_pages(FOLL_LONGTERM), as io_uring fixed buffers do. __gup_longterm_locked() pins, then check_and_migrate_movable_pages() collects folios that are not longterm-pinnable (ZONE_MOVABLE, CMA), unpins everything, migrates them with migrate_pages(MIGRATE_SYNC, MR_LONGTERM_PIN) and returns -EAGAIN so the caller re-pins; any migration failure gives -ENOMEM. `ref`: a plain extra reference (get_user_pages without FOLL_PIN, as vmsplice takes), which makes a later migration of the folio fail with -EAGAIN in folio_migrate_mapping().', {
    syntax: 'pin PROCESS ADDR longterm|ref [retries N]',
    params: [p('PROCESS', 'the process'), p('ADDR', 'heap[0..8K]'), p('N', 'bound on the re-pin loop (the seed thread\'s PINNABLE_MIGRATE_MAX)')],
  }),
  e('migrate_vma', 'operation', 'Model-only: a device driver\'s migrate_vma_setup() (collect with migrate_vma_collect_pmd(), unmap with migrate_device_unmap()), migrate_vma_pages() and migrate_vma_finalize() over the range, with the selection flags. cpages counts the entries that can migrate.', {
    syntax: 'migrate_vma PROCESS ADDR [select system|device_private|device_coherent] [fault_page ADDR]',
    params: [p('PROCESS', 'the process'), p('ADDR', 'heap[0..64K]'), p('system|device_private|device_coherent', 'MIGRATE_VMA_SELECT_*')],
  }),
  e('numa_fault', 'operation', 'Model-only: a NUMA-hinting fault (do_numa_page()) by a task on node N: migrate_misplaced_folio_prepare() isolates the folio (or refuses: -EAGAIN for a dirty file folio, a full target node or a failed isolation), then migrate_misplaced_folio() runs migrate_pages(MIGRATE_ASYNC, MR_NUMA_MISPLACED), which never splits a large folio on -ENOMEM.', {
    syntax: 'numa_fault PROCESS ADDR to node N',
    params: [p('PROCESS', 'the process'), p('ADDR', 'heap[0]'), p('N', 'node of the faulting task')],
  }),
];

const EXPECTATIONS: DocEntry[] = [
  e('expect', 'expectation', 'An expectation about the operation it is indented under. A failed expectation is an error on its line.', { syntax: 'expect WHAT ...' }),
  e('return', 'expectation', 'The value the operation returned: a count (migrate_pages(2), move_pages(2), the internal migrate_pages()) or -ERRNO.', { syntax: 'expect return VALUE', params: [p('VALUE', '0, 3 or -EIO')] }),
  e('status', 'expectation', 'move_pages(2)\'s status array, one entry per page: a node, -ERRNO, or `unwritten` (the kernel left the caller\'s initial value there, as after a failed flush).', { syntax: 'expect status [ENTRY, ...]', params: [p('ENTRY', 'node, -ERRNO or unwritten')] }),
  e('page', 'expectation', 'Where a page of a process is after the operation: on a node, or unmapped.', { syntax: 'expect page PROCESS ADDR on node N | unmapped', params: [p('PROCESS', 'process'), p('ADDR', 'heap[8K]'), p('N', 'node')] }),
  e('vmstat', 'expectation', 'The change of a /proc/vmstat counter over the operation.', { syntax: 'expect vmstat COUNTER N', params: [p('COUNTER', 'pgmigrate_success, ...'), p('N', 'delta')] }),
  e('stats', 'expectation', 'A field of struct migrate_pages_stats of the last internal migrate_pages() call of the operation (as the mm_migrate_pages tracepoint prints it).', { syntax: 'expect stats FIELD N', params: [p('FIELD', 'nr_succeeded, ...'), p('N', 'value')] }),
  e('event', 'expectation', 'That an event of the trace happened (or, with `no`, did not): optionally on a folio, in a pass, a number of times.', {
    syntax: 'expect [no] event EVENT [on FOLIO] [pass N] [count N]',
    params: [p('EVENT', 'MIGRATEPAGE_UNMAP, EAGAIN, ...'), p('FOLIO', 'folio name'), p('N', 'number')],
  }),
  e('no', 'expectation', 'Negates `expect event`: the event must not happen.', { syntax: 'expect no event EVENT [on FOLIO]' }),
  e('cpages', 'expectation', 'struct migrate_vma.cpages after migrate_vma_setup(): the entries collected and unmapped for migration.', { syntax: 'expect cpages N' }),
  e('npages', 'expectation', 'struct migrate_vma.npages: entries visited by the collect walk.', { syntax: 'expect npages N' }),
  e('pinned', 'expectation', 'The number of pages `pin` holds pinned at the end (0 when __gup_longterm_locked() failed).', { syntax: 'expect pinned N' }),
  e('anon_vma_refs', 'expectation', 'How many anon_vma references folio_get_anon_vma() took during the operation: one per attempt to unmap a mapped anon folio (every retried pass takes one again), one per private hugetlb page, one per anon THP split; none for an anon folio no page table maps. Parity compares it with a kretprobe on a real kernel.', { syntax: 'expect anon_vma_refs N' }),
  e('passes', 'expectation', 'How many passes the migration made (unmap-phase passes of migrate_pages_batch(); for `pin longterm`, pin-and-check rounds).', { syntax: 'expect passes N' }),
  e('nr_failed', 'expectation', 'The failure count of the operation\'s queue_pages_range() walk (qp->nr_failed) plus migrate_pages()\'s return, before they are combined into the syscall\'s return.', { syntax: 'expect nr_failed N' }),
];

// Option words: one entry each (`expect folio` and `folio` share the keyword entry).
const OPTIONS: DocEntry[] = [
  e('memory', 'option', 'The node\'s memory size.', { syntax: 'memory SIZE' }),
  e('movable', 'option', 'Size of the node\'s ZONE_MOVABLE (movablecore=). Folios there are not longterm-pinnable: FOLL_LONGTERM migrates them out. (Also a folio kind and an inject fault.)', { syntax: 'movable SIZE' }),
  e('cma', 'option', 'Size of a CMA area on the node (model-only). Pages in MIGRATE_CMA pageblocks are not longterm-pinnable.', { syntax: 'cma SIZE' }),
  e('hugepages', 'option', 'Free 2M pages in the node\'s hugetlb pool (nr_hugepages per node).', { syntax: 'hugepages N' }),
  e('user', 'option', 'The process\'s credentials: root, nobody or a numeric uid.', { syntax: 'user root|nobody|UID' }),
  e('nice', 'option', 'The process has CAP_SYS_NICE: MPOL_MF_MOVE_ALL is allowed, and migrate_pages(2) moves pages to nodes outside the target\'s cpuset.'),
  e('fork', 'option', 'The process is a fork(2) child of PARENT: anonymous pages are shared copy-on-write (mapcount 2), so migrating them needs MPOL_MF_MOVE_ALL via move_pages(2)/mbind(2). Device-private entries are shared too (made read-only); shared mappings are not copied: the child faults them in.', { syntax: 'fork PARENT' }),
  e('cpu', 'option', 'The node the process runs on: where local allocations and MPOL_LOCAL go.', { syntax: 'cpu node N' }),
  e('align', 'option', 'Place the mapping on this boundary (a power of two).', { syntax: 'align N' }),
  e('at', 'option', 'A fixed address (mmap, mremap) or the address a fault applies to (inject).', { syntax: 'at ADDR' }),
  e('on', 'option', '`touch ... on node N`, `expect page ... on node N`, `expect event ... on FOLIO`, `expect folio F on LIST`.'),
  e('as', 'option', 'The name of the part that mremap moved.', { syntax: 'as NAME' }),
  e('from', 'option', 'migrate_pages(2) old_nodes (also the internal `from` list, see places).', { syntax: 'from NODES' }),
  e('to', 'option', 'migrate_pages(2) new_nodes, or the destination node of the internal migrate_pages() and of numa_fault.', { syntax: 'to NODES' }),
  e('maxnode', 'option', 'The raw maxnode argument of migrate_pages(2), for EINVAL tests (maxnode > PAGE_SIZE*8).', { syntax: 'maxnode N' }),
  e('by', 'option', 'The calling task, when it is not the target itself (ptrace_may_access() and CAP_SYS_NICE are checked on it).', { syntax: 'by PROCESS' }),
  e('pid', 'option', 'A raw pid as the target (e.g. one that does not exist, for ESRCH; pid 0 means the caller).', { syntax: 'pid N' }),
  e('pages', 'option', 'move_pages(2)\'s pages[] array.', { syntax: 'pages ADDR, ADDR...' }),
  e('nodes', 'option', 'A node mask (mbind, policy) or move_pages(2)\'s nodes[] array.', { syntax: 'nodes NODES' }),
  e('flags', 'option', 'MPOL_MF_* flags of move_pages(2) or mbind(2), or a raw number.', { syntax: 'flags FLAG|FLAG' }),
  e('mode', 'option', 'The migrate_mode of the internal migrate_pages().', { syntax: 'mode MIGRATE_*' }),
  e('reason', 'option', 'The migrate_reason of the internal migrate_pages().', { syntax: 'reason MR_*' }),
  e('retries', 'option', 'An upper bound on `pin longterm` re-pin rounds (the seed thread\'s proposed PINNABLE_MIGRATE_MAX). The kernel loops while check_and_migrate_movable_pages() returns -EAGAIN.', { syntax: 'retries N' }),
  e('select', 'option', 'migrate_vma selection flags (MIGRATE_VMA_SELECT_*).', { syntax: 'select system|device_private|device_coherent' }),
  e('fault_page', 'option', 'migrate_vma.fault_page: the device-private page the driver is faulting on (it must be locked; it is not unlocked by finalize).', { syntax: 'fault_page ADDR' }),
  e('order', 'option', 'Folio order: 0 for a base page, 9 for a 2M THP or hugetlb page.', { syntax: 'order N' }),
  e('refs', 'option', 'The folio\'s reference count (folio_ref_count()). More than the expected count (1 isolation ref + mapping refs + private) makes the move fail with -EAGAIN.', { syntax: 'refs N' }),
  e('pins', 'option', 'FOLL_PIN pins on the folio (GUP_PIN_COUNTING_BIAS each): a pinned anon-exclusive page cannot be unmapped for migration (-EAGAIN).', { syntax: 'pins N' }),
  e('mapped', 'option', 'Where the folio is mapped: a process, an address, by PTE or PMD.', { syntax: 'mapped PROCESS ADDR [pte|pmd]' }),
  e('held', 'option', 'The lock is held by someone else during the passes given.'),
  e('pass', 'option', 'A pass number of migrate_pages_batch() (0-based).', { syntax: 'pass N' }),
  e('fails', 'option', 'The injected operation fails.'),
  e('always', 'option', 'Every destination allocation fails.'),
  e('after', 'option', 'Allocations fail after K have succeeded.', { syntax: 'after K' }),
  e('with', 'option', 'The error an injected split returns.', { syntax: 'with EAGAIN|EBUSY' }),
  e('memalloc', 'option', 'The caller of the internal migrate_pages() is a PF_MEMALLOC task (direct compaction or reclaim): a contended folio lock is never waited for (lock_page could deadlock against readahead), so it gets -EAGAIN in every mode.', { syntax: 'migrate_pages [FOLIOS] ... memalloc' }),
  e('returns', 'option', 'What the movable_ops driver\'s migrate_page() returns.', { syntax: 'returns EAGAIN|EBUSY|0' }),
  e('once', 'option', 'The fault happens once, then the retry succeeds.'),
  e('bad', 'option', 'The PMD entry is corrupt (pmd_bad()).'),
  e('unreleasable', 'option', 'filemap_release_folio() cannot drop the folio\'s private data (buffers).'),
  e('unmapped', 'option', 'The page is not mapped (expect page ... unmapped).'),
  e('unwritten', 'option', 'A status entry the kernel did not write: it keeps the caller\'s initial value.'),
  e('count', 'option', 'How many times the event happens.', { syntax: 'count N' }),
];

const VALUES: DocEntry[] = [
  e('ARCH_ENABLE_THP_MIGRATION', 'value', 'CONFIG_ARCH_ENABLE_THP_MIGRATION: PMD-sized THPs migrate whole (thp_migration_supported()). Off: migrate_pages_batch() counts a THP as one failure and splits it, the pieces migrating with the split folios; if the split fails the THP goes to ret_folios.'),
  e('ARCH_ENABLE_HUGEPAGE_MIGRATION', 'value', 'CONFIG_ARCH_ENABLE_HUGEPAGE_MIGRATION: hugetlb pages can migrate (hugepage_migration_supported(), vma_migratable()). Off: mbind and migrate_pages(2) skip hugetlb VMAs, move_pages(2) reports -EFAULT for their pages, and migrate_hugetlbs() fails a hugetlb folio at once (nr_failed, ret_folios).'),
  e('y', 'value', 'The config option is enabled (as on x86-64).'),
  e('n', 'value', 'The config option is disabled.'),
  e('root', 'value', 'uid 0: has CAP_SYS_NICE and passes every ptrace_may_access() check.'),
  e('nobody', 'value', 'uid 65534, no capabilities: MPOL_MF_MOVE_ALL gives EPERM, and other users\' processes are out of reach.'),
  e('anon', 'value', 'Anonymous memory (also a folio kind): no mapping, so migrate_folio() moves it; expected refs = 1 + mapcount before unmap.'),
  e('file', 'value', 'A regular file on tmpfs-like storage (also a folio kind): page cache with a migrate_folio callback; expected refs = 1 + nr_pages (+1 with private).'),
  e('shmem', 'value', 'Shared memory (also a folio kind): page cache in the shmem mapping, migrated by migrate_folio via shmem_aops.'),
  e('hugetlb', 'value', 'hugetlbfs pages from the per-node pools (also a folio kind): migrated by migrate_hugetlbs() and unmap_and_move_huge_page(), not by the batch code.'),
  e('private', 'value', 'MAP_PRIVATE. (Also a folio flag — PG_private, buffers attached — and an inject fault.)'),
  e('shared', 'value', 'MAP_SHARED: pages mapped by several processes count as shared, so move_pages(2) without MPOL_MF_MOVE_ALL reports -EACCES.'),
  e('thp', 'value', 'madvise(MADV_HUGEPAGE): allow a PMD-mapped THP at fault time.'),
  e('nothp', 'value', 'madvise(MADV_NOHUGEPAGE): base pages only.'),
  e('read', 'value', 'PROT_READ; as a touch, a read fault (anon: maps the zero page).'),
  e('write', 'value', 'PROT_WRITE; as a touch, a write fault that allocates and maps a page.'),
  e('exec', 'value', 'PROT_EXEC. An executable, shared-mapped file folio refuses NUMA-hinting migration (-EACCES).'),
  e('none', 'value', 'PROT_NONE.'),
  e('longterm', 'value', 'pin_user_pages(FOLL_PIN|FOLL_LONGTERM): the io_uring fixed-buffer pin that migrates unpinnable folios first.'),
  e('ref', 'value', 'A plain get_page() reference held by the user (vmsplice). (Also the inject fault adding a reference.)'),
  e('system', 'value', 'MIGRATE_VMA_SELECT_SYSTEM (1): collect normal system RAM pages and holes.'),
  e('device_coherent', 'value', 'MIGRATE_VMA_SELECT_DEVICE_COHERENT (4): collect device-coherent pages with a matching owner.'),
  e('device_private', 'value', 'MIGRATE_VMA_SELECT_DEVICE_PRIVATE (2): collect device-private entries of this pgmap_owner. (Also a folio kind.)'),
  e('pte', 'value', 'Mapped by a page-table entry.'),
  e('pmd', 'value', 'Mapped by a PMD (a PMD-mapped THP). (Also an inject fault: a bad PMD.)'),
];

const FOLIO_KINDS: DocEntry[] = [
  e('zero', 'folio-kind', 'The shared zero page (or huge zero page): never migrated; move_pages(2) reports -EFAULT; FOLL_LONGTERM treats it as pinnable.'),
  e('ksm', 'folio-kind', 'A KSM page: anon but no anon_vma reference is taken (migrate_folio_unmap() skips it for KSM); shared by many mappings.'),
  e('movable', 'folio-kind', 'A non-LRU movable_ops page (zsmalloc, balloon, z3fold): isolated through its movable_operations; migrate_folio_unmap() returns UNMAP with no page-table work and the driver\'s migrate_page() decides the move.'),
];

const FOLIO_FLAGS: DocEntry[] = [
  e('lru', 'folio-flag', 'PG_lru: the folio is on an LRU list and folio_isolate_lru() can take it. Without it, isolation fails (-EBUSY in move_pages(2), a failure count in queue_pages_range()).'),
  e('locked', 'folio-flag', 'PG_locked held by someone else for the whole run (see `inject lock` for a lock held during some passes): ASYNC gets -EAGAIN, SYNC blocks.'),
  e('dirty', 'folio-flag', 'PG_dirty: a dirty file folio with no migrate_folio callback cannot be migrated in ASYNC/SYNC_LIGHT (-EBUSY); SYNC writes it out and returns -EAGAIN. Dirty file folios refuse NUMA-hinting migration.'),
  e('writeback', 'folio-flag', 'PG_writeback: migrate_folio_unmap() returns -EBUSY (permanent) unless the mode is MIGRATE_SYNC, which waits. (Also an inject fault, for some passes only.)'),
  e('mlocked', 'folio-flag', 'PG_mlocked: migration records PAGE_WAS_MLOCKED (≈v6.10+) and drains the LRU batch after the move.'),
  e('deferred_split', 'folio-flag', 'On the deferred-split queue (a partially unmapped anon large folio).', {
    versions: { '6.1': 'No pre-split: migrated as a large folio.', '6.3-rc1': 'No pre-split: migrated as a large folio.', '6.12': 'migrate_pages_batch() splits it before migrating (trylock in ASYNC); the split counts as a failure, nr_split and nr_thp_split.' },
  }),
  e('isolated', 'folio-flag', 'Already isolated by someone else (off the LRU, refcount raised): a second isolation fails.'),
  e('uptodate', 'folio-flag', 'PG_uptodate (the default): MIGRATE_SYNC_LIGHT may block on its lock.'),
  e('notuptodate', 'folio-flag', 'Not uptodate (a read in flight): MIGRATE_SYNC_LIGHT will not sleep on its lock and returns -EAGAIN.'),
  e('private', 'folio-flag', 'PG_private: private data (buffer heads) attached; expected references at move time are one more, and the data must be released or migrated with the folio.'),
  e('inaccessible', 'folio-flag', 'A file or shmem folio of an address space that must not migrate (guest_memfd): move_to_new_folio() returns -EOPNOTSUPP, a permanent failure. Such folios are on the LRU, so memory offlining or alloc_contig_range() isolates them.', {
    versions: { '6.1': 'No such address space (guest_memfd is v6.8): an error.', '6.3-rc1': 'No such address space: an error.', '6.12': 'mapping_inaccessible() (AS_INACCESSIBLE; AS_UNMOVABLE in v6.8–v6.10): -EOPNOTSUPP.' },
  }),
  e('truncated', 'folio-flag', 'A hugetlb folio removed from its hugetlbfs file (truncate, hole punch) while isolated, on a mount with a size limit: it still belongs to the mount\'s subpool but folio_mapping() is NULL, so unmap_and_move_huge_page() returns -EBUSY for a folio "being freed" (if nothing else holds it, refcount 1, it is put back as freed instead). Its references are the `refs` given (none by default): the page cache\'s are gone.'),
  e('exclusive', 'folio-flag', 'PageAnonExclusive: try_to_migrate() must make it shared before unmapping; with a GUP pin that fails, the PTE is restored and the folio gets -EAGAIN.'),
];

const FAULTS: DocEntry[] = [
  e('lock', 'fault', 'Someone else holds the folio lock during the passes given: folio_trylock() fails; ASYNC (and SYNC_LIGHT if not uptodate) return -EAGAIN; SYNC blocks until the holder lets go.', {
    syntax: 'inject lock FOLIO held [passes A..B]',
    versions: { '6.1': 'Before v6.4 the lock is forced (blocking) only from pass 3 (force = pass > 2).', '6.3-rc1': 'Blocking while other folios of the batch are locked is refused with -EDEADLOCK.', '6.12': 'Blocks as far as the mode allows (no force).' },
  }),
  e('dst_lock', 'fault', 'The destination folio\'s trylock fails: -EAGAIN, retried next pass.', { syntax: 'inject dst_lock FOLIO held [passes A..B]' }),
  e('alloc', 'fault', 'get_new_folio() returns NULL: -ENOMEM. A large folio is split (unless MR_NUMA_MISPLACED) and counts as one failure; a small one aborts the batch, leaving later folios untried and uncounted.', { syntax: 'inject alloc [node N] fails [always|after K|on node N]' }),
  e('split', 'fault', 'split_folio_to_list() fails (-EAGAIN or -EBUSY): the large folio is not split; after -ENOMEM that aborts the batch, except with MR_LONGTERM_PIN where -EAGAIN is a retry. (Also an event.)', { syntax: 'inject split FOLIO fails [with EAGAIN|EBUSY]' }),
  e('ref', 'fault', 'An extra reference on the folio during the passes given (a speculative get, GUP, a per-CPU LRU batch): the refcount check in folio_migrate_mapping() (or the freeze) fails with -EAGAIN; the folio stays unmapped on unmap_folios and is retried, then restored to ret_folios when passes run out. A negative amount drops one.', { syntax: 'inject ref FOLIO +N [passes A..B]' }),
  e('writeback', 'fault', 'Writeback runs during the passes given: -EBUSY in ASYNC and SYNC_LIGHT (permanent for the batch; a SYNC request retries it in its sync phase), a wait in SYNC.', { syntax: 'inject writeback FOLIO [passes A..B]' }),
  e('movable', 'fault', 'The movable_ops driver\'s migrate_page() returns this during the passes given: 0 moves it, -EAGAIN retries, anything else fails for good.', { syntax: 'inject movable FOLIO returns EAGAIN|EBUSY|0 [passes A..B]' }),
  e('release', 'fault', 'The movable_ops driver releases the page after it was isolated (a balloon deflating, zsmalloc freeing the object), dropping its reference: at move time the page is no longer movable, move_to_new_folio() skips the driver and reports success, and the page is freed with the isolation reference.', { syntax: 'inject release FOLIO' }),
  e('pmd', 'fault', 'The PMD entry at the address is bad (pmd_bad()): since v6.5 pte_offset_map_lock() clears it and the walk sees pmd_none, so migrate_vma treats the range as a hole; before v6.5 it was skipped.', { syntax: 'inject pmd PROCESS ADDR bad' }),
  e('private', 'fault', 'The folio\'s private data (buffers) cannot be released: in the fallback path SYNC returns -EAGAIN, other modes -EBUSY.', { syntax: 'inject private FOLIO unreleasable' }),
  e('isolate', 'fault', 'Isolation from the LRU fails (folio_isolate_lru()): a queue_pages_range() failure, or -EBUSY in move_pages(2).', { syntax: 'inject isolate FOLIO fails' }),
  e('pte_offset_map_lock', 'fault', 'pte_offset_map_lock() returns NULL once (the PMD changed under the walker): migrate_vma_collect_pmd() goes back to `again`.', { syntax: 'inject pte_offset_map_lock fails once [at PROCESS ADDR]' }),
  e('mce', 'fault', 'A machine check while copying the data.', {
    syntax: 'inject mce FOLIO',
    versions: { '6.1': 'No folio_mc_copy(): not modelled (the kernel would crash).', '6.3-rc1': 'No folio_mc_copy(): not modelled.', '6.12': 'folio_mc_copy() fails: -EHWPOISON, permanent, the folio goes to ret_folios.' },
  }),
];

const MPOL: DocEntry[] = [
  e('MPOL_DEFAULT', 'mpol-mode', 'Remove the policy: fall back to the task\'s (or local) policy. mbind clears MPOL_MF_STRICT for it; nodes must be empty (EINVAL otherwise).', { value: '0' }),
  e('MPOL_PREFERRED', 'mpol-mode', 'Allocate on the one preferred node, falling back elsewhere. An empty mask means local (EINVAL with STATIC/RELATIVE flags).', { value: '1' }),
  e('MPOL_BIND', 'mpol-mode', 'Allocate only on the nodes of the mask; with MPOL_MF_MOVE misplaced pages migrate to them (alloc_migration_target via alloc_by_mpol). An empty mask is EINVAL.', { value: '2' }),
  e('MPOL_INTERLEAVE', 'mpol-mode', 'Interleave page by page over the nodes; mbind computes the interleave index base from the first non-KSM folio (≈v6.7+).', { value: '3' }),
  e('MPOL_LOCAL', 'mpol-mode', 'Allocate on the node the task runs on. Takes no nodes.', { value: '4' }),
  e('MPOL_PREFERRED_MANY', 'mpol-mode', 'Prefer any node of the mask, fall back to all.', { value: '5' }),
  e('MPOL_WEIGHTED_INTERLEAVE', 'mpol-mode', 'Interleave with per-node weights (sysfs).', { value: '6', versions: { '6.1': 'Does not exist (v6.9+): EINVAL.', '6.3-rc1': 'Does not exist (v6.9+): EINVAL.', '6.12': 'Available.' } }),
  e('MPOL_F_STATIC_NODES', 'mpol-mode-flag', 'Mode flag: the nodemask is not remapped when the cpuset changes.', { value: '1<<15' }),
  e('MPOL_F_RELATIVE_NODES', 'mpol-mode-flag', 'Mode flag: the nodemask is relative to the cpuset\'s allowed nodes.', { value: '1<<14' }),
  e('MPOL_F_NUMA_BALANCING', 'mpol-mode-flag', 'Mode flag: with MPOL_BIND, allow NUMA balancing to migrate within the mask.', { value: '1<<13' }),
  e('MPOL_MF_STRICT', 'mpol-flag', 'mbind: verify that every page in the range follows the policy. With MOVE*, any folio that could not be isolated or migrated makes mbind return -EIO (the others still move); alone, a misplaced page gives -EIO and no policy change. move_pages(2) rejects it with EINVAL.', { value: '1' }),
  e('MPOL_MF_MOVE', 'mpol-flag', 'Migrate pages mapped only by this process (shared ones are skipped: move_pages status -EACCES, mbind silently).', { value: '2' }),
  e('MPOL_MF_MOVE_ALL', 'mpol-flag', 'Migrate shared pages too. Needs CAP_SYS_NICE, else EPERM.', { value: '4' }),
  e('MPOL_MF_LAZY', 'mpol-flag', 'Not in MPOL_MF_VALID: mbind returns EINVAL (its dead code was removed ≈v6.7).', { value: '8' }),
];

const MODES: DocEntry[] = [
  e('MIGRATE_ASYNC', 'migrate-mode', 'Never blocks: folio and buffer locks are trylocks (-EAGAIN), writeback gives -EBUSY, dirty page cache without migrate_folio gives -EBUSY; TLB flushes are batched (TTU_BATCH_FLUSH). Used by compaction and NUMA hinting.', { value: '0', trace: 'MIGRATE_ASYNC' }),
  e('MIGRATE_SYNC_LIGHT', 'migrate-mode', 'May sleep on the folio lock only if the folio is uptodate (else -EAGAIN); no wait for writeback (-EBUSY), no writeout (-EBUSY).', { value: '1', trace: 'MIGRATE_SYNC_LIGHT' }),
  e('MIGRATE_SYNC', 'migrate-mode', 'May block on locks, waits for writeback, may write out dirty folios. What the syscalls and GUP use.', {
    value: '2',
    trace: 'MIGRATE_SYNC',
    versions: { '6.1': 'Batches of one folio (v6.3 final); force lock from pass 3.', '6.3-rc1': 'Batched like ASYNC; -EDEADLOCK avoids blocking while holding other folio locks.', '6.12': 'migrate_pages_sync(): 3 ASYNC passes over the batch, then 7 sync passes per folio; only the sync outcome is counted.' },
  }),
  e('MIGRATE_SYNC_NO_COPY', 'migrate-mode', 'Like SYNC but without the data copy (a DMA engine copies). Not in the trace symbol table (prints as 3).', { value: '3', versions: { '6.1': 'Exists.', '6.3-rc1': 'Exists.', '6.12': 'Removed in v6.11.' } }),
];

const REASONS: DocEntry[] = [
  e('MR_COMPACTION', 'reason', 'Memory compaction.', { value: '0', trace: 'compaction' }),
  e('MR_MEMORY_FAILURE', 'reason', 'Soft-offlining a poisoned page: a migrated source folio is not put (the poison handler releases it).', { value: '1', trace: 'memory_failure' }),
  e('MR_MEMORY_HOTPLUG', 'reason', 'Memory offlining.', { value: '2', trace: 'memory_hotplug' }),
  e('MR_SYSCALL', 'reason', 'migrate_pages(2), move_pages(2) and cpuset moves.', { value: '3', trace: 'syscall_or_cpuset' }),
  e('MR_MEMPOLICY_MBIND', 'reason', 'mbind(2) with MPOL_MF_MOVE*.', { value: '4', trace: 'mempolicy_mbind' }),
  e('MR_NUMA_MISPLACED', 'reason', 'NUMA hinting: `nosplit` — a large folio is not split on -ENOMEM.', { value: '5', trace: 'numa_misplaced' }),
  e('MR_CONTIG_RANGE', 'reason', 'alloc_contig_range() (CMA, gigantic pages).', { value: '6', trace: 'contig_range' }),
  e('MR_LONGTERM_PIN', 'reason', 'FOLL_LONGTERM GUP: after -ENOMEM, a large folio whose split returns -EAGAIN is retried rather than failed.', { value: '7', trace: 'longterm_pin' }),
  e('MR_DEMOTION', 'reason', 'Demotion to a slower memory tier.', { value: '8', trace: 'demotion' }),
  e('MR_DAMON', 'reason', 'DAMON-driven migration.', { value: '9', trace: 'damon', versions: { '6.1': 'Does not exist.', '6.3-rc1': 'Does not exist.', '6.12': 'Exists (v6.11+).' } }),
];

const ERRNO_DOCS: Record<string, [string, string]> = {
  EPERM: ['1', 'migrate_pages(2)/move_pages(2): ptrace_may_access() fails, or the caller lacks CAP_SYS_NICE for MPOL_MF_MOVE_ALL or for nodes outside the target\'s cpuset; mbind(2): MPOL_MF_MOVE_ALL without CAP_SYS_NICE.'],
  ENOENT: ['2', 'move_pages(2) status: nothing mapped at the address (v6.12+), or a zone-device page.'],
  ESRCH: ['3', 'migrate_pages(2)/move_pages(2): no task with that pid.'],
  EIO: ['5', 'mbind(2) with MPOL_MF_STRICT: a folio could not be isolated or migrated (queue_pages_range() or migrate_pages() failed); also a failed writeout in the fallback path.'],
  EAGAIN: ['11', 'Temporary failure, retried in the next pass: a contended folio or dst lock in ASYNC, extra references at move time (folio_migrate_mapping()), a pinned anon-exclusive page, a movable_ops driver\'s answer. FOLL_LONGTERM: check_and_migrate_movable_pages() returns it after migrating, so the caller re-pins.'],
  ENOMEM: ['12', 'get_new_folio() found no destination: a large folio is split, a small one aborts the batch; migrate_pages() returns -ENOMEM. FOLL_LONGTERM turns any migration failure into -ENOMEM.'],
  EACCES: ['13', 'move_pages(2): a node outside the target\'s cpuset (whole call), or a shared page without MPOL_MF_MOVE_ALL (status); NUMA hinting refuses an executable shared file folio.'],
  EFAULT: ['14', 'move_pages(2) status: no VMA, a VMA that cannot migrate, or the zero page (before v6.12 also an unmapped address); mbind(2): a hole in the range; a user array that faults.'],
  EBUSY: ['16', 'Permanent for this call: writeback in ASYNC/SYNC_LIGHT, dirty page cache without migrate_folio outside SYNC, private data that cannot be released outside SYNC; move_pages(2) status when isolation fails; device-coherent migration failure in GUP.'],
  EEXIST: ['17', 'Internal: add_folio_for_migration() sees the folio already queued; move_pages(2) reports it as -EFAULT.'],
  ENODEV: ['19', 'move_pages(2): a target node below 0, at or above MAX_NUMNODES, or without memory.'],
  EINVAL: ['22', 'Bad arguments: flags outside the valid set, an unaligned start, a bad mode/nodemask pair, maxnode too large, an empty node mask after cpuset intersection; migrate_vma_setup() on a bad range.'],
  ENOSPC: ['28', 'Not produced by the migration paths modelled; listed so traces of other callers can name it.'],
  EDEADLOCK: ['35', 'v6.3-rc1 only: migrate_folio_unmap() would block on a lock while the batch already holds others (avoid_force_lock); the batch moves what it has and restarts.'],
  ENOSYS: ['38', 'migrate_pages() stub without CONFIG_MIGRATION; before v6.3, unmap_and_move() for a THP the architecture cannot migrate.'],
  EOPNOTSUPP: ['95', 'move_to_new_folio(): the mapping is unmovable (AS_UNMOVABLE, ≈v6.7) or inaccessible (secretmem, guest_memfd, ≈v6.12). Permanent.'],
  EHWPOISON: ['133', 'folio_mc_copy() hit a machine check during the copy (≈v6.11+). Permanent; the source goes to ret_folios.'],
};

const EVENT_DOCS: Record<string, string> = {
  mm_migrate_pages_start: 'Tracepoint at the start of migrate_pages(): mode and reason.',
  isolate_failed: 'A folio could not be isolated (queue_pages_range(), add_folio_for_migration(), collect_longterm_unpinnable_folios()).',
  split: 'A large folio was split (split_folio_to_list()): after -ENOMEM, on the deferred-split queue, or when THP migration is unsupported; the pieces go to split_folios.',
  retry_pass: 'A new pass of migrate_pages_batch() (unmap or move phase) begins because some folio returned -EAGAIN.',
  MIGRATEPAGE_UNMAP: 'migrate_folio_unmap() unmapped the folio (migration entries installed) and it waits on unmap_folios for the move phase.',
  MIGRATEPAGE_SUCCESS: 'The folio was migrated (migrate_folio_move() succeeded) or found freed under us.',
  EAGAIN: 'A step returned -EAGAIN for the folio: it stays for the next pass.',
  EBUSY: 'A step returned -EBUSY: permanent failure for this call, the folio goes to ret_folios.',
  ENOMEM: 'get_new_folio() failed for the folio.',
  EDEADLOCK: 'v6.3-rc1: the folio\'s lock would block while the batch holds others; the batch restarts.',
  ENOSYS: 'The architecture cannot migrate the folio (`config ARCH_ENABLE_THP_MIGRATION n` for a THP, `config ARCH_ENABLE_HUGEPAGE_MIGRATION n` for hugetlb): it fails at once, to ret_folios. The kernel names no errno there since v6.3; before, unmap_and_move() returned -ENOSYS.',
  EOPNOTSUPP: 'The folio\'s mapping cannot migrate.',
  EHWPOISON: 'A machine check during the folio\'s copy.',
  tlb_flush: 'try_to_unmap_flush() flushed deferred TLB invalidations: at the start of the move phase, or (6.12) in the unmap_folio() of a split, which flushes what the batch had deferred so far.',
  set_migration_pte: 'Tracepoint: try_to_migrate_one() installed a migration entry for a PTE (addr, pte, order).',
  remove_migration_pte: 'Tracepoint: remove_migration_pte() restored a PTE (to the new folio on success, to the old one on undo).',
  set_migration_pmd: 'Tracepoint (thp): a PMD-level migration entry was installed.',
  remove_migration_pmd: 'Tracepoint (thp): a PMD mapping was restored.',
  copy: 'The data was copied to the destination (folio_mc_copy() / folio_copy()).',
  undo: 'A folio\'s unmap was undone (migrate_folio_undo_src/dst): PTEs back to src, dst released.',
  putback: 'putback_movable_pages(): a folio left on the list went back to its LRU (or movable_ops owner, or hugetlb active list).',
  freed: 'The folio was found freed under us (refcount 1): counted as succeeded.',
  mm_migrate_pages: 'Tracepoint at the end of migrate_pages(): nr_succeeded, nr_failed (base pages), nr_thp_succeeded, nr_thp_failed, nr_thp_split, nr_split (≈v6.10+), mode, reason.',
  queue_folio: 'queue_folios_pte_range()/queue_folios_pmd() or add_folio_for_migration() put a misplaced folio on the pagelist.',
  queue_skip: 'The walk skipped a folio (already on the right node, shared without MOVE_ALL, zero page).',
  strict_fail: 'MPOL_MF_STRICT saw a misplaced folio it could not move: the walk reports a failure.',
  store_status: 'move_pages(2) wrote status entries for a flushed batch.',
  syscall_enter: 'A syscall-layer operation (mbind, migrate_pages(2), move_pages, pin, migrate_vma, NUMA fault) started.',
  syscall_exit: 'The syscall-layer operation returned (aux: the return value).',
  queue_failed: 'The walk counted a misplaced folio it could not queue (qp->nr_failed++, v6.7+): no MOVE flag, unmovable VMA or failed isolation.',
  migration_entry_seen: 'The walk met a migration entry: v6.7+ counts it in qp->nr_failed per PTE; 6.1 returns -EIO for a PMD entry.',
  flush_batch: 'move_pages(2) migrated its pending batch (move_pages_and_store_status()).',
  policy_applied: 'mbind_range() set the new policy on the VMAs of the range (splitting them).',
  lru_add_drain_all: 'collect_longterm_unpinnable_folios() / migrate_device_unmap() drained the per-CPU LRU batches once.',
  gup_pin: 'pin_user_pages() pinned the range (one round of __gup_longterm_locked()).',
  gup_unpin: 'The pins were dropped before migrating (migrate_longterm_unpinnable_folios()).',
  collect_longterm_unpinnable: 'collect_longterm_unpinnable_folios() found a folio that cannot be pinned long-term (ZONE_MOVABLE, CMA).',
  migrate_longterm_unpinnable: 'migrate_longterm_unpinnable_folios() ran migrate_pages(MIGRATE_SYNC, MR_LONGTERM_PIN).',
  gup_retry: 'check_and_migrate_movable_pages() returned -EAGAIN: pin again.',
  migrate_vma_setup: 'migrate_vma_setup() started (collect and unmap).',
  migrate_vma_collect: 'migrate_vma_collect_pmd() visited a PMD range.',
  migrate_vma_unmap: 'migrate_device_unmap() unmapped the collected pages.',
  migrate_vma_pages: 'migrate_vma_pages(): the mappings were switched to the destination pages.',
  migrate_vma_finalize: 'migrate_vma_finalize(): PTEs restored to the new (or old) pages, references dropped.',
  migrate_vma_hole: 'migrate_vma_collect_hole(): an empty range of an anonymous VMA is MIGRATE (the driver may populate it).',
  migrate_vma_skip: 'migrate_vma_collect_skip(): the range is not collected (non-anonymous hole, THP that cannot split, bad PMD before v6.5).',
  migrate_vma_restore: 'A collected page was put back (pinned, extra references, isolation failed): its PTE is restored.',
  pte_offset_map_lock_failed: 'pte_offset_map_lock() failed in migrate_vma_collect_pmd(): `goto again` (v6.5+, seed 004).',
  pmd_bad: 'migrate_vma_collect_pmd() met a bad PMD: a hole since v6.5 (cleared by pte_offset_map_lock()), a skip before.',
  numa_misplaced: 'migrate_misplaced_folio() ran for a NUMA-hinting fault.',
};

const VMSTAT_DOCS: Record<string, string> = {
  pgmigrate_success: 'Base pages migrated: += stats.nr_succeeded at the end of migrate_pages().',
  pgmigrate_fail: 'Base pages that failed: += stats.nr_failed_pages (untried folios are not counted).',
  thp_migration_success: '+= stats.nr_thp_succeeded.',
  thp_migration_fail: '+= stats.nr_thp_failed (THPs that were split included).',
  thp_migration_split: '+= stats.nr_thp_split.',
  numa_pages_migrated: 'Pages migrated by NUMA-hinting faults.',
  pgdemote_kswapd: 'Pages demoted by kswapd (MR_DEMOTION).',
  nr_isolated_anon: 'Anon pages currently isolated (NR_ISOLATED_ANON): raised by isolation, lowered by putback or the end of migration.',
  nr_isolated_file: 'File pages currently isolated (NR_ISOLATED_FILE).',
};

const STATS_DOCS: Record<string, string> = {
  nr_succeeded: 'Base pages migrated or found freed. Hugetlb counts in base pages.',
  nr_failed_pages: 'Base pages that failed; untried folios (after an -ENOMEM abort) are not counted; retry-exhausted ones once at the end of a batch.',
  nr_thp_succeeded: 'PMD-mappable large folios migrated.',
  nr_thp_failed: 'PMD-mappable large folios that failed, including those that were split.',
  nr_thp_split: 'PMD-mappable large folios split during migration.',
  nr_split: 'Any large folio split (THP included); printed as nr_split= by mm_migrate_pages.',
};

const PLACE_DOCS: Record<string, string> = {
  from: 'The caller\'s list: input, and after migrate_pages() the folios that did not migrate (ret_folios is spliced back to its head).',
  ret_folios: 'migrate_pages()\'s local list of folios that failed for good or exhausted their retries.',
  unmap_folios: 'migrate_pages_batch(): folios unmapped (MIGRATEPAGE_UNMAP), waiting to be moved.',
  dst_folios: 'migrate_pages_batch(): destination folios, in the same order as unmap_folios.',
  split_folios: 'Pieces of split large folios, migrated after the batch (one ASYNC pass, v6.4+).',
  freed: 'The source folio was freed (migrated, or found freed under us).',
  lru: 'Back on the LRU (putback) or, for a migrated folio, the new one on the LRU.',
};

const PFN_DOCS: Record<string, [string, string]> = {
  MIGRATE_PFN_VALID: ['1<<0', 'The entry holds a pfn.'],
  MIGRATE_PFN_MIGRATE: ['1<<1', 'The entry can migrate (cleared on any failure).'],
  MIGRATE_PFN_WRITE: ['1<<3', 'The page was mapped writable.'],
  MIGRATE_PFN_COMPOUND: ['1<<4', 'A large folio entry (THP device migration, ≈v6.19/7.0; not in the profiles modelled).'],
  MIGRATE_PFN_DEVICE_PRIVATE: ['1<<5', 'A device-private entry (very recent; not in the profiles modelled).'],
};

const PROFILE_DOCS: DocEntry[] = [
  e('6.1', 'profile', 'Debian 6.1.19x: migrate_pages_batch() without batched unmap (each folio unmapped and moved before the next, no TLB batching, force lock after pass 2, split pieces retried inside the batch), no nr_split, pre-v6.7 mempolicy counting, move_pages -EFAULT for unmapped addresses.'),
  e('6.3-rc1', 'profile', 'v6.3-rc1, the batching series as first merged: batched unmap and move in every mode, TTU_BATCH_FLUSH always, -EDEADLOCK restart.'),
  e('6.12', 'profile', 'v6.12, the reference: migrate_pages_sync() 3+7 passes, nr_split, deferred-split pre-split, folio_mc_copy, folio_walk in move_pages.'),
];

export const DOCS: readonly DocEntry[] = [
  ...KEYWORDS,
  ...STATEMENTS,
  ...OPERATIONS,
  ...EXPECTATIONS,
  ...OPTIONS,
  ...VALUES,
  ...FOLIO_KINDS,
  ...FOLIO_FLAGS,
  ...FAULTS,
  ...MPOL,
  ...MODES,
  ...REASONS,
  ...Object.entries(ERRNO_DOCS).map(([n, [v, d]]) => e(n, 'errno', d, { value: `-${v}` })),
  ...Object.entries(EVENT_DOCS).map(([n, d]) => e(n, 'event', d)),
  ...Object.entries(VMSTAT_DOCS).map(([n, d]) => e(n, 'vmstat', d)),
  ...Object.entries(STATS_DOCS).map(([n, d]) => e(n, 'stats', d, n === 'nr_split' ? { versions: { '6.1': 'Absent (before ≈v6.10).', '6.3-rc1': 'Absent.', '6.12': 'Present.' } } : {})),
  ...Object.entries(PLACE_DOCS).map(([n, d]) => e(n, 'place', d)),
  ...Object.entries(PFN_DOCS).map(([n, [v, d]]) => e(n, 'pfn-flag', d, { value: v })),
  ...PROFILE_DOCS,
];

const byName = new Map<string, DocEntry[]>();
for (const d of DOCS) {
  const list = byName.get(d.name);
  if (list) list.push(d);
  else byName.set(d.name, [d]);
}

/** The entry for a word, preferring the given category (a word such as `anon` or `EAGAIN` is in several). */
export function lookupDoc(name: string, category?: DocCategory): DocEntry | undefined {
  const list = byName.get(name);
  if (!list) return undefined;
  return (category && list.find((d) => d.category === category)) || list[0];
}

/** Every entry for a word (hover shows them all). */
export function lookupDocs(name: string): readonly DocEntry[] {
  return byName.get(name) ?? [];
}

export function docsOf(category: DocCategory): DocEntry[] {
  return DOCS.filter((d) => d.category === category);
}

// Per-category lists for completion.
export const KEYWORD_DOCS = docsOf('keyword');
export const STATEMENT_DOCS = docsOf('statement');
export const OPERATION_DOCS = docsOf('operation');
export const EXPECTATION_DOCS = docsOf('expectation');
export const FLAG_DOCS = DOCS.filter((d) => d.category === 'mpol-flag' || d.category === 'mpol-mode-flag');
export const MPOL_MODE_DOCS = docsOf('mpol-mode');
export const MIGRATE_MODE_DOCS = docsOf('migrate-mode');
export const REASON_DOCS = docsOf('reason');
export const ERRNO_DOCS_LIST = docsOf('errno');
export const EVENT_DOCS_LIST = docsOf('event');
export const VMSTAT_DOCS_LIST = docsOf('vmstat');
export const STATS_DOCS_LIST = docsOf('stats');
export const PLACE_DOCS_LIST = docsOf('place');
export const FAULT_DOCS = docsOf('fault');
