// Field-by-field comparison of one scenario's real-kernel results with the
// engine's run of the same scenario under the matching profile.

import type { RunResult } from '../engine/run';
import { EV } from '../engine/trace';
import { fnSchema } from '../engine/state';
import { MODE_NAMES, REASON_TRACE, rcName } from '../engine/index';
import type { MigrateStats } from '../engine/context';
import type { RealizedCase } from '../engine/realize';
import type { KernelCase, KernelOp } from './results';

export interface Difference {
  /** 0-based scenario line */
  line: number;
  /** return, status, page, vmstat <counter>, trace[i] <field>, trace lines, migrate_pages() return, try_to_unmap_flush() calls, anon_vma references, setup, kernel */
  field: string;
  engine: string;
  kernel: string;
}

export const VMSTAT_COMPARED = ['pgmigrate_success', 'pgmigrate_fail', 'thp_migration_success', 'thp_migration_fail', 'thp_migration_split'];

interface EngineTraceLine {
  succeeded: number;
  failed: number;
  thp_succeeded: number;
  thp_failed: number;
  thp_split: number;
  split: number;
  mode: string;
  reason: string;
}

/** The mm_migrate_pages events and internal migrate_pages() returns of events [from, to). */
export function engineTrace(r: RunResult, from: number, to: number): { lines: EngineTraceLine[]; rets: number[] } {
  const t = r.trace;
  const lines: EngineTraceLine[] = [];
  const rets: number[] = [];
  for (let i = from; i < to && i < t.n; i++) {
    if (t.type[i] === EV.mm_migrate_pages) {
      const s = (t.notes.get(i) ?? {}) as Partial<MigrateStats>;
      lines.push({
        succeeded: s.nr_succeeded ?? 0,
        failed: s.nr_failed_pages ?? 0,
        thp_succeeded: s.nr_thp_succeeded ?? 0,
        thp_failed: s.nr_thp_failed ?? 0,
        thp_split: s.nr_thp_split ?? 0,
        split: s.nr_split ?? 0,
        mode: MODE_NAMES[t.aux[i]] ?? String(t.aux[i]),
        reason: REASON_TRACE[t.aux2[i]] ?? String(t.aux2[i]),
      });
    } else if (t.type[i] === EV.exit && fnSchema(t.aux[i])?.name === 'migrate_pages') {
      rets.push(t.aux2[i]);
    }
  }
  return { lines, rets };
}

/** What the kernel returned, in the engine's terms: pins report the pages pinned. */
export function kernelReturn(k: KernelOp): string {
  if (k.timeout) return 'no return (the call hung)';
  if (k.died) return 'no return (the process died)';
  if ((k.ret ?? 0) < 0) return `-${k.errname || `errno ${k.errno}`}`;
  if (k.kind === 'pin') return String(k.pinned ?? 0);
  return String(k.ret);
}

function statusText(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === 'unwritten') return 'unwritten';
  return typeof v === 'number' ? (v < 0 ? rcName(v) : String(v)) : v;
}

/** `on node N` or `no page` (unmapped, zero page, migration entry) from the engine's expect text. */
function enginePage(actual: string): string {
  const m = /on node (\d+)/.exec(actual);
  return m ? `node ${m[1]}` : 'no page';
}

function kernelPage(v: number | string | undefined): string {
  if (typeof v === 'number' && v >= 0) return `node ${v}`;
  return v === undefined ? 'not queried' : 'no page';
}

export function compareCase(realized: RealizedCase, engine: RunResult, kernel: KernelCase | undefined): Difference[] {
  const diffs: Difference[] = [];
  const add = (line: number, field: string, e: string, k: string) => {
    if (e !== k) diffs.push({ line, field, engine: e, kernel: k });
  };
  if (engine.error) diffs.push({ line: engine.error.line, field: 'engine', engine: `error: ${engine.error.message}`, kernel: '' });
  if (!kernel) {
    diffs.push({ line: 0, field: 'kernel', engine: '', kernel: 'the case did not run (no output)' });
    return diffs;
  }
  for (const a of kernel.acts) {
    if (a.timeout || a.died || (a.errno ?? 0) !== 0)
      diffs.push({ line: a.line - 1, field: 'setup', engine: 'ok', kernel: a.timeout ? `${a.verb} hung` : a.died ? `${a.verb}: the process died` : `${a.verb}: ${a.errname || a.error || `errno ${a.errno}`}${a.error ? ` (${a.error})` : ''}` });
  }
  for (const op of realized.ops) {
    const k = kernel.ops.get(op.line + 1);
    const e = engine.ops.find((o) => o.line === op.line);
    if (!k) {
      diffs.push({ line: op.line, field: 'kernel', engine: e ? e.retText : '', kernel: kernel.ended ? 'the operation did not run' : 'the case stopped before this operation' });
      continue;
    }
    if (!e) {
      diffs.push({ line: op.line, field: 'engine', engine: 'the operation did not run', kernel: kernelReturn(k) });
      continue;
    }
    add(op.line, 'return', e.retText, kernelReturn(k));
    if (op.kind === 'move_pages') {
      const es = (e.status ?? []).map(statusText);
      const ks = (k.status ?? []).map(statusText);
      add(op.line, 'status', `[${es.join(', ')}]`, `[${ks.join(', ')}]`);
    }
    for (const c of VMSTAT_COMPARED) if (k.vmstat[c] !== undefined) add(op.line, `vmstat ${c}`, String(e.vmstatDelta[c] ?? 0), String(k.vmstat[c]));
    const et = engineTrace(engine, e.firstEvent, e.endEvent);
    const kt = k.trace.filter((l) => l.own);
    add(op.line, 'mm_migrate_pages lines', String(et.lines.length), String(kt.length));
    for (let i = 0; i < Math.min(et.lines.length, kt.length); i++) {
      const el = et.lines[i] as unknown as Record<string, string | number>;
      const kl = kt[i] as unknown as Record<string, string | number>;
      for (const f of ['succeeded', 'failed', 'thp_succeeded', 'thp_failed', 'thp_split', 'split', 'mode', 'reason'])
        if (kl[f] !== undefined) add(op.line, `mm_migrate_pages[${i}] ${f}`, String(el[f]), String(kl[f]));
    }
    const kr = k.kret.filter((l) => l.own).map((l) => l.ret);
    add(op.line, 'migrate_pages() return', `[${et.rets.join(', ')}]`, `[${kr.join(', ')}]`);
    // One call per migrate_pages_batch() round that reaches its move phase, and one per THP split on
    // v6.8+ (none at all on 6.1): where batches are cut, and how many one-folio sync batches follow
    // the async one, shows here and nowhere else.
    if (k.unmap_flush !== undefined) add(op.line, 'try_to_unmap_flush() calls', String(e.unmapFlushCalls), String(k.unmap_flush));
    // One per attempt on a mapped anon folio (so retries show), none for an unmapped one, one per anon THP split.
    if (k.anon_vma_refs !== undefined) add(op.line, 'anon_vma references', String(e.anonVmaRefs), String(k.anon_vma_refs));
    for (const p of op.pages) {
      const ex = engine.expects.find((x) => x.range.start.line === p.line);
      const kp = kernel.pages.get(p.line + 1);
      add(p.line, 'page', ex ? enginePage(ex.actual) : 'not evaluated', kernelPage(kp?.nodes[0]));
    }
  }
  return diffs;
}
