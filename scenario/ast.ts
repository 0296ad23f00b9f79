// The syntax tree of a .mig scenario. Every node carries the exact range of the
// text it came from, so that diagnostics, hover, rename and the debugger's
// "which line caused this event" all point at the right characters.
//
// The tree is shared by every layer (engine, server, debug adapter, cli); it
// holds no behaviour. Values the parser could not read are `undefined` and a
// diagnostic says why; consumers must cope with partial trees.

export interface Position {
  line: number; // 0-based
  character: number; // 0-based UTF-16 offset, as LSP counts
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Node {
  range: Range;
}

/** A name as written, with its own range (for hover, rename, references). */
export interface Ident extends Node {
  text: string;
}

/** A number as written: `4096`, `4K`, `2M`, `0x7f00`, `-1`. `value` is exact (bigint). */
export interface NumberLit extends Node {
  value: bigint;
  text: string;
}

/** A bare word from a fixed vocabulary (a flag, errno, mode, keyword argument). */
export interface Word extends Node {
  text: string;
}

/** `MPOL_MF_MOVE|MPOL_MF_STRICT`, or a number for raw (bad) flag values. */
export interface FlagSet extends Node {
  flags: Word[];
  raw?: NumberLit;
}

/** A node list: `1`, `0,1`, `0-2,5`. */
export interface NodeList extends Node {
  nodes: NumberLit[];
}

/**
 * An address inside a mapping, or a range of it:
 *   `heap`            the whole mapping
 *   `heap[8K]`        one page at offset 8K
 *   `heap[0..4K]`     offsets [0, 4K)
 * A raw address (`0x1000`) is allowed where a syscall may be handed garbage.
 */
export interface AddrRef extends Node {
  mapping?: Ident;
  start?: NumberLit; // offset into the mapping (or raw address when mapping is undefined)
  end?: NumberLit; // exclusive; undefined for a single page or whole mapping
  whole: boolean; // true for a bare mapping name
}

// ---------------------------------------------------------------- statements

export type Statement =
  | ScenarioStmt
  | KernelStmt
  | ConfigStmt
  | DefaultsStmt
  | NodeStmt
  | ProcessStmt
  | InStmt
  | FolioStmt
  | InjectStmt
  | Operation
  | ErrorStmt;

/** `scenario "title"` */
export interface ScenarioStmt extends Node {
  kind: 'scenario';
  title?: string;
  titleRange?: Range;
}

/** `kernel 6.12` */
export interface KernelStmt extends Node {
  kind: 'kernel';
  profile?: Word;
}

/** `config ARCH_ENABLE_THP_MIGRATION n`: an architecture option the profile assumes enabled */
export interface ConfigStmt extends Node {
  kind: 'config';
  option?: Word;
  value?: Word; // y | n
}

/** `pagesize 4K`, `pmdsize 2M` */
export interface DefaultsStmt extends Node {
  kind: 'defaults';
  key: Word; // pagesize | pmdsize
  value?: NumberLit;
}

/** `node 0 memory 1G [movable 600M] [hugepages 4] [cma 64M]` */
export interface NodeStmt extends Node {
  kind: 'node';
  id?: NumberLit;
  memory?: NumberLit;
  movable?: NumberLit;
  cma?: NumberLit;
  hugepages?: NumberLit; // free 2M hugetlb pages in this node's pool
}

/**
 * `process app [user root|nobody|<uid>] [nice] [fork <parent>] [cpu node N]`
 * followed by an indented block of user-level statements.
 */
export interface ProcessStmt extends Node {
  kind: 'process';
  name?: Ident;
  user?: Word | NumberLit;
  capSysNice?: Word; // `nice`: the process has CAP_SYS_NICE (root has it anyway)
  forkOf?: Ident; // `fork app`: child shares app's mappings as fork(2) would
  cpuNode?: NumberLit; // node the process runs on (local allocations), default 0
  body: UserStmt[];
}

/** `in app` reopens a process for more user-level statements, later in the file. */
export interface InStmt extends Node {
  kind: 'in';
  process?: Ident;
  body: UserStmt[];
}

export type UserStmt =
  | MmapStmt
  | TouchStmt
  | MunmapStmt
  | MprotectStmt
  | MremapStmt
  | MlockStmt
  | PolicyStmt
  | ErrorStmt;

/** `mmap heap anon|file|shmem|hugetlb private|shared 2M [align 2M] [thp|nothp] [at 0x..] [read|write|exec|none]...` */
export interface MmapStmt extends Node {
  kind: 'mmap';
  name?: Ident;
  backing?: Word; // anon | file | shmem | hugetlb
  sharing?: Word; // private | shared
  size?: NumberLit;
  align?: NumberLit;
  thp?: Word; // thp | nothp  (MADV_HUGEPAGE / MADV_NOHUGEPAGE)
  at?: NumberLit;
  prot: Word[]; // default read write
}

/** `touch heap[0..8K] read|write [on node 1]` */
export interface TouchStmt extends Node {
  kind: 'touch';
  target?: AddrRef;
  access?: Word; // read | write
  onNode?: NumberLit;
}

/** `munmap heap[0..4K]` */
export interface MunmapStmt extends Node {
  kind: 'munmap';
  target?: AddrRef;
}

/** `mprotect heap[0..4K] read` (`none`, `read`, `read write`, `read write exec`) */
export interface MprotectStmt extends Node {
  kind: 'mprotect';
  target?: AddrRef;
  prot: Word[];
}

/** `mremap heap[0..1M] as moved [at 0x...]` — move part of a mapping elsewhere (MREMAP_MAYMOVE|FIXED) */
export interface MremapStmt extends Node {
  kind: 'mremap';
  target?: AddrRef;
  newName?: Ident;
  at?: NumberLit;
}

/** `mlock heap` */
export interface MlockStmt extends Node {
  kind: 'mlock';
  target?: AddrRef;
}

/** `policy MPOL_BIND nodes 1` — set_mempolicy(2) for the process */
export interface PolicyStmt extends Node {
  kind: 'policy';
  mode?: Word;
  nodes?: NodeList;
  /** `MPOL_BIND|MPOL_F_STATIC_NODES`: the mode flags after the mode */
  modeFlags?: Word[];
}

/**
 * Model-only: a folio built directly.
 * `folio A order 0 node 0 anon [lru] [locked] [dirty] [writeback] [mlocked]
 *        [deferred_split] [isolated] [uptodate|notuptodate] [exclusive]
 *        [refs N] [pins N] [mapped app heap[0] [pmd]]`
 */
export interface FolioStmt extends Node {
  kind: 'folio';
  name?: Ident;
  order?: NumberLit;
  node?: NumberLit;
  folioKind?: Word; // anon | file | shmem | hugetlb | zero | ksm | movable | device_private
  flags: Word[]; // lru locked dirty writeback mlocked deferred_split isolated uptodate notuptodate exclusive private
  refs?: NumberLit;
  pins?: NumberLit;
  mapped: FolioMapping[];
}

export interface FolioMapping extends Node {
  process?: Ident;
  at?: AddrRef;
  level?: Word; // pte | pmd
}

/**
 * Model-only fault injection. One statement per fault:
 *   inject lock B held [passes 0..4]
 *   inject dst_lock B held [passes 0..2]
 *   inject ref B +1 [passes 0..2]          extra reference (speculative, GUP, LRU batch)
 *   inject writeback B [passes 0..3]
 *   inject alloc fails [always|after K|on node N]
 *   inject split C fails [with EAGAIN|EBUSY]
 *   inject isolate B fails
 *   inject movable B returns EAGAIN|EBUSY|0 [passes a..b]
 *   inject pte_offset_map_lock fails once [at app heap[0]]
 *   inject pmd app heap[0] bad
 *   inject mce B                           machine check during the copy
 *   inject release B                       the movable_ops driver releases B after isolation
 *   inject private B unreleasable          buffers cannot be released
 */
export interface InjectStmt extends Node {
  kind: 'inject';
  fault?: Word; // lock | dst_lock | ref | writeback | alloc | split | isolate | movable | pte_offset_map_lock | pmd | mce | private | release
  folio?: Ident;
  at?: AddrRef; // pmd / pte_offset_map_lock target
  process?: Ident;
  amount?: NumberLit; // ref +N
  passes?: PassRange;
  allocMode?: Word; // always | after | on
  allocArg?: NumberLit;
  result?: Word; // EAGAIN | EBUSY | 0 ... (movable, split)
  once: boolean;
  /** alloc: the node whose allocations fail (`inject alloc node 1 fails after 2`, or `on node 1`) */
  allocNode?: NumberLit;
}

export interface PassRange extends Node {
  from?: NumberLit;
  to?: NumberLit; // inclusive
}

// ---------------------------------------------------------------- operations

export type Operation =
  | MigratePagesSyscall
  | MovePagesOp
  | MbindOp
  | PinOp
  | MigrateVmaOp
  | NumaFaultOp
  | MigratePagesInternal;

interface OpBase extends Node {
  /** `by proc`: the calling task when it is not the target itself */
  by?: Ident;
  expects: Expect[];
  /** range of the operation line only (without its expect lines) */
  headRange: Range;
}

/** A syscall's target: a declared process or a raw pid (`pid 99999` for ESRCH). */
export interface Target extends Node {
  process?: Ident;
  pid?: NumberLit;
}

/** `migrate_pages app from 0 to 1 [by other]` — migrate_pages(2) */
export interface MigratePagesSyscall extends OpBase {
  kind: 'migrate_pages_syscall';
  target?: Target;
  from?: NodeList;
  to?: NodeList;
  maxnode?: NumberLit; // raw maxnode for EINVAL tests
}

/** `move_pages app pages heap[0], heap[4K] [nodes 1, 1] [flags MPOL_MF_MOVE]` — move_pages(2); no `nodes` = query */
export interface MovePagesOp extends OpBase {
  kind: 'move_pages';
  target?: Target;
  pages: AddrRef[];
  nodes?: NumberLit[];
  flags?: FlagSet;
}

/** `mbind app heap[0..2M] MPOL_BIND nodes 1 [flags MPOL_MF_MOVE|MPOL_MF_STRICT]` — mbind(2) */
export interface MbindOp extends OpBase {
  kind: 'mbind';
  process?: Ident;
  // Named `addr`, not `range`: Node.range is the statement's text range (a field
  // called `range` here would not type-check against Node).
  addr?: AddrRef;
  mode?: Word; // MPOL_* or a number
  modeRaw?: NumberLit;
  nodes?: NodeList;
  flags?: FlagSet;
  /** `MPOL_BIND|MPOL_F_STATIC_NODES`: the mode flags after the mode */
  modeFlags?: Word[];
}

/** `pin app heap[0..8K] longterm [retries N]` (io_uring fixed buffers) or `pin app heap[0] ref` (vmsplice) */
export interface PinOp extends OpBase {
  kind: 'pin';
  process?: Ident;
  // Named `addr`, not `range`: Node.range is the statement's text range (a field
  // called `range` here would not type-check against Node).
  addr?: AddrRef;
  pinKind?: Word; // longterm | ref
  retries?: NumberLit; // optional PINNABLE_MIGRATE_MAX-style bound from the seed thread
}

/** `migrate_vma app heap[0..64K] [select system|device_private|device_coherent] [fault_page heap[4K]]` */
export interface MigrateVmaOp extends OpBase {
  kind: 'migrate_vma';
  process?: Ident;
  // Named `addr`, not `range`: Node.range is the statement's text range (a field
  // called `range` here would not type-check against Node).
  addr?: AddrRef;
  select: Word[];
  faultPage?: AddrRef;
}

/** `numa_fault app heap[0] to node 1` — a NUMA-hinting fault migrating the folio */
export interface NumaFaultOp extends OpBase {
  kind: 'numa_fault';
  process?: Ident;
  at?: AddrRef;
  node?: NumberLit;
}

/** `migrate_pages [A, B, C] to node 1 [mode MIGRATE_ASYNC] [reason MR_COMPACTION]` — internal migrate_pages() */
export interface MigratePagesInternal extends OpBase {
  kind: 'migrate_pages_internal';
  folios: Ident[];
  node?: NumberLit;
  mode?: Word;
  reason?: Word;
  /** `memalloc`: the caller is a PF_MEMALLOC task (direct compaction or reclaim) */
  memalloc?: Word;
}

// ---------------------------------------------------------------- expectations

export type Expect =
  | ExpectReturn
  | ExpectStatus
  | ExpectPage
  | ExpectVmstat
  | ExpectStats
  | ExpectEvent
  | ExpectFolio
  | ExpectCount
  | ErrorStmt;

/** `expect return 0`, `expect return 3`, `expect return -EIO` */
export interface ExpectReturn extends Node {
  kind: 'expect_return';
  value?: NumberLit;
  errno?: Word;
}

/** `expect status [1, -ENOENT, unwritten]` — move_pages status[] */
export interface ExpectStatus extends Node {
  kind: 'expect_status';
  entries: StatusEntry[];
}

export interface StatusEntry extends Node {
  node?: NumberLit;
  errno?: Word;
  unwritten: boolean;
}

/** `expect page app heap[8K] on node 1` (or `unmapped`) */
export interface ExpectPage extends Node {
  kind: 'expect_page';
  process?: Ident;
  at?: AddrRef;
  node?: NumberLit;
  unmapped: boolean;
}

/** `expect vmstat pgmigrate_success 512` — delta over the operation */
export interface ExpectVmstat extends Node {
  kind: 'expect_vmstat';
  counter?: Word;
  value?: NumberLit;
}

/** `expect stats nr_thp_split 1` — struct migrate_pages_stats of the (last) internal call */
export interface ExpectStats extends Node {
  kind: 'expect_stats';
  field?: Word;
  value?: NumberLit;
}

/** `expect [no] event EAGAIN [on B] [pass 0] [count 10]` */
export interface ExpectEvent extends Node {
  kind: 'expect_event';
  negated: boolean;
  event?: Word;
  folio?: Ident;
  pass?: NumberLit;
  count?: NumberLit;
}

/** `expect folio B on ret_folios|from|freed|lru` or `expect folio B node 1` */
export interface ExpectFolio extends Node {
  kind: 'expect_folio';
  folio?: Ident;
  where?: Word;
  node?: NumberLit;
}

/** `expect cpages 4`, `expect pinned 2`, `expect passes 10` — named scalar results of an operation */
export interface ExpectCount extends Node {
  kind: 'expect_count';
  what?: Word; // cpages | npages | pinned | passes | nr_failed
  value?: NumberLit;
}

/** A line the parser could not read. Kept so that ranges of the rest stay right. */
export interface ErrorStmt extends Node {
  kind: 'error';
  message: string;
}

// ---------------------------------------------------------------- document

export interface Scenario {
  statements: Statement[];
  /** every comment, for folding and formatting */
  comments: Range[];
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  message: string;
  /** stable code for quick fixes and tests, e.g. `unknown-flag`, `misaligned` */
  code: string;
  /** data a quick fix may use (e.g. the suggested spelling) */
  data?: { suggestion?: string; [key: string]: unknown };
}
