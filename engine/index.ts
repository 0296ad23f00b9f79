// The engine's public API. The debugger, the language server's inlay hints and
// the CLI all call `run(scenario, opts)` and read its RunResult; keep it stable.
//
//   const r = run(parse(text).scenario, { profile: '6.1', invariants: true });
//   r.ops[i]        per operation: line, ret/retText, status, counts, stats, vmstatDelta, passes, folios
//   r.expects       per expect line: { range, ok, expected, actual, message }
//   r.error         { line, message } when the run stopped on bad input or a budget
//   r.trace         events (columnar) + r.trace.stateAt(i) for any moment
//   exportFtrace(r) / exportJson(r) for the kernel-format and JSON exports

export { run } from './run';
export type { RunOptions, RunResult, OpResult, FolioOutcome } from './run';
export type { ExpectOutcome } from './expect';
export { Trace, EV, eventId, eventName, knownEventNames, RunStop } from './trace';
export type { TraceEvent } from './trace';
export { MemState, fnSchema, F, Kind, KIND_NAMES, FLAG_NAMES, Pte, PTE_TYPE_NAMES, VMSTAT, pteFolio, pteSub, pteType, pteBits, keyMm, keyVpn } from './state';
export type { FolioId, ListId, Process, Vma } from './state';
export { PROFILES, getProfile, profileNames, DEFAULT_PROFILE } from './profiles';
export type { Profile } from './profiles';
export { MODE_NAMES, REASON_NAMES, REASON_TRACE, rcName, ERRNO, STATS_FIELDS } from './context';
export type { MigrateStats } from './context';
export { exportFtrace, exportJson, rawPte } from './export';
