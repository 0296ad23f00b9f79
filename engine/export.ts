// Trace export: ftrace text in the kernel's own tracepoint formats
// (include/trace/events/migrate.h, huge_memory.h) and a JSON form of every event.

import type { RunResult } from './run';
import { MemState, Pte, pteBits, pteFolio, pteSub, pteType, fnSchema, isMigrationType } from './state';
import { eventName, EV } from './trace';
import { MODE_NAMES, REASON_TRACE, STATS_FIELDS, MigrateStats, rcName } from './context';
import type { Profile } from './profiles';

const M64 = (1n << 64n) - 1n;

/**
 * The raw x86-64 value of a page-table entry, as the tracepoints print it.
 * Present: pfn << 12 | P RW U A D (+PSE for a PMD, +soft-dirty bit 11).
 * Migration entry: swp_entry_to_pte(make_*_migration_entry(pfn)) with the
 * young/dirty bits above the pfn (SWP_MIG_YOUNG_BIT = SWP_PFN_BITS = 34) and the
 * arch encoding `(~offset << 14 >> 5) | type << 59`. Swap type numbers depend on
 * the kernel (MAX_SWAPFILES): see docs/kernel-findings.md.
 */
export function rawPte(st: MemState, entry: number, pmd: boolean, profile: Profile): bigint {
  if (entry === 0) return 0n;
  const t = pteType(entry);
  const bits = pteBits(entry);
  const f = pteFolio(entry);
  const pfn = BigInt(st.pfn(f) + pteSub(entry));
  if (t === Pte.PRESENT) {
    let v = (pfn << 12n) | 0x1n | 0x4n;
    if (bits & Pte.WRITE) v |= 0x2n;
    if (bits & Pte.YOUNG) v |= 0x20n;
    if (bits & Pte.DIRTY) v |= 0x40n;
    if (pmd) v |= 0x80n;
    if (bits & Pte.SOFT_DIRTY) v |= 1n << 11n;
    return v;
  }
  if (isMigrationType(t)) {
    // MAX_SWAPFILES = 32 - SWP_DEVICE_NUM - SWP_MIGRATION_NUM(3) - SWP_HWPOISON_NUM(1) - SWP_PTE_MARKER_NUM(1)
    const deviceNum = profile.nrSplit ? 3 : 4;
    const maxSwapfiles = 32 - deviceNum - 3 - 1 - 1;
    const base = BigInt(maxSwapfiles + 1); // SWP_MIGRATION_READ = MAX_SWAPFILES + SWP_HWPOISON_NUM
    const type = base + BigInt(t - Pte.MIGRATION_READ);
    let offset = pfn;
    if (bits & Pte.YOUNG) offset |= 1n << 34n;
    if (bits & Pte.DIRTY) offset |= 1n << 35n;
    let v = ((((~offset & M64) << 14n) & M64) >> 5n) | (type << 59n);
    if (bits & Pte.SOFT_DIRTY) v |= 0x2n; // _PAGE_SWP_SOFT_DIRTY
    return v & M64;
  }
  return BigInt(entry);
}

function modeText(mode: number): string {
  return mode >= 0 && mode <= 2 ? MODE_NAMES[mode] : `0x${mode.toString(16)}`;
}

/** ftrace text of the tracepoint events, one line per event, as `trace` in tracefs prints them. */
export function exportFtrace(r: RunResult, profile: Profile): string {
  const t = r.trace;
  const out: string[] = ['# tracer: nop', '#', '#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION', '#              | |         |   |||||     |         |'];
  // the raw values need the folio's pfn, which never changes after allocation: the final state has it
  const st = r.state;
  for (let i = 0; i < t.n; i++) {
    const ty = t.type[i];
    let body: string | undefined;
    if (ty === EV.mm_migrate_pages_start) {
      body = `mm_migrate_pages_start: mode=${modeText(t.aux[i])} reason=${REASON_TRACE[t.aux2[i]] ?? t.aux2[i]}`;
    } else if (ty === EV.mm_migrate_pages) {
      const s = (t.notes.get(i) ?? {}) as Partial<MigrateStats>;
      const v = (k: keyof MigrateStats) => s[k] ?? 0;
      body = `mm_migrate_pages: nr_succeeded=${v('nr_succeeded')} nr_failed=${v('nr_failed_pages')} nr_thp_succeeded=${v('nr_thp_succeeded')} nr_thp_failed=${v('nr_thp_failed')} nr_thp_split=${v('nr_thp_split')}${profile.nrSplit ? ` nr_split=${v('nr_split')}` : ''} mode=${modeText(t.aux[i])} reason=${REASON_TRACE[t.aux2[i]] ?? t.aux2[i]}`;
    } else if (ty === EV.set_migration_pte || ty === EV.remove_migration_pte) {
      const e = t.aux2[i];
      const order = st.order(pteFolio(e));
      body = `${eventName(ty)}: addr=${t.aux[i].toString(16)}, pte=${rawPte(st, e, false, profile).toString(16)} order=${order}`;
    } else if (ty === EV.set_migration_pmd || ty === EV.remove_migration_pmd) {
      body = `${eventName(ty)}: addr=${t.aux[i].toString(16)}, pmd=${rawPte(st, t.aux2[i], true, profile).toString(16)}`;
    }
    if (body === undefined) continue;
    const ts = (i / 1e6).toFixed(6).padStart(12);
    out.push(`        migtrace-1       [000] .....${ts}: ${body}`);
  }
  return out.join('\n') + '\n';
}

/** Every event as JSON (name, folio name, pass, line, call stack depth and function, numbers), plus the operations. */
export function exportJson(r: RunResult): unknown {
  const t = r.trace;
  const st = r.state;
  const events: unknown[] = [];
  const stack: string[] = [];
  for (let i = 0; i < t.n; i++) {
    const name = eventName(t.type[i]);
    if (name === 'enter') stack.push(fnSchema(t.aux[i]).name);
    const ev: Record<string, unknown> = { seq: i, event: name, line: t.line_[i] + 1, pass: t.pass_[i], function: stack[stack.length - 1] ?? null };
    if (t.folio[i] >= 0) ev.folio = st.folioName(t.folio[i]);
    if (name === 'enter') ev.aux = fnSchema(t.aux[i]).name;
    else if (name === 'exit') ev.rc = rcName(t.aux2[i]);
    else if (t.aux[i] !== 0 || t.aux2[i] !== 0) {
      ev.aux = t.aux[i];
      ev.aux2 = t.aux2[i];
    }
    const note = t.notes.get(i);
    if (note !== undefined) ev.note = note;
    events.push(ev);
    if (name === 'exit') stack.pop();
  }
  return {
    profile: r.profile,
    error: r.error ? { line: r.error.line + 1, message: r.error.message } : undefined,
    operations: r.ops.map((o) => ({ ...o, line: o.line + 1 })),
    expectations: r.expects.map((e) => ({ line: e.range.start.line + 1, ok: e.ok, expected: e.expected, actual: e.actual, message: e.message })),
    statsFields: STATS_FIELDS,
    events,
  };
}
