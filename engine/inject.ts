// Model-only fault injection (scenario-language §5), resolved from the `inject`
// statements of a scenario.
//
// What "pass" means for `passes a..b`: the index of the retry pass of
// migrate_pages_batch() as the kernel counts it, numbered across the whole
// internal migrate_pages() call for that folio:
//   * MIGRATE_ASYNC (and every mode on profiles without migrate_pages_sync, i.e.
//     6.1 and 6.3-rc1): passes 0 … NR_MAX_MIGRATE_PAGES_RETRY-1 (0..9).
//   * non-ASYNC on v6.4+ (profile 6.12): the async phase of migrate_pages_sync() is
//     passes 0..2 (NR_MAX_MIGRATE_ASYNC_RETRY), the per-folio sync phase continues
//     with 3..9 (its own pass 0 is pass 3 here).
//   * split pieces migrated by migrate_pages() after the batch: their single ASYNC
//     pass is numbered 0.
//   * the unmap loop and the move loop of one batch each count their passes from
//     0, so "pass 2" of an extra reference (checked at move time) is the third move
//     pass of that batch.
//   * hugetlb folios: the pass of migrate_hugetlbs() (0..9).
// Without `passes`, a fault holds for the whole operation. A new operation starts
// from pass 0 again.

import type { InjectStmt, Scenario } from '../scenario/ast';
import type { FolioId } from './state';

export interface PassWindow {
  from: number;
  to: number; // inclusive; Infinity = always
}
const ALWAYS: PassWindow = { from: 0, to: Infinity };

function inWin(ws: PassWindow[] | undefined, pass: number): boolean {
  if (!ws) return false;
  const p = pass < 0 ? 0 : pass;
  for (const w of ws) if (p >= w.from && p <= w.to) return true;
  return false;
}

export interface AllocFault {
  mode: 'always' | 'after' | 'on';
  arg: number; // K for `after K`
  node?: number; // only allocations on this node fail (`alloc node 1 fails ...`, `on node 1`)
  line: number;
  /** allocations this fault has let through so far (for `after K`) */
  seen: number;
}

/** Resolved injections; folio names are looked up by the caller (`resolve`). */
export class Injections {
  lockHeld = new Map<FolioId, PassWindow[]>();
  lockLine = new Map<FolioId, number>();
  dstLockHeld = new Map<FolioId, PassWindow[]>();
  extraRef = new Map<FolioId, { amount: number; win: PassWindow }[]>();
  writeback = new Map<FolioId, PassWindow[]>();
  alloc: AllocFault[] = [];
  splitFails = new Map<FolioId, number>(); // errno (positive)
  isolateFail = new Set<FolioId>();
  movable = new Map<FolioId, { rc: number; win: PassWindow }[]>();
  pteMapLockOnce: { proc?: string; addr?: number; line: number }[] = [];
  badPmd: { proc: string; addr: number; line: number }[] = [];
  mce = new Set<FolioId>();
  /** movable_ops pages their driver releases between isolation and the move */
  release = new Set<FolioId>();
  privateUnreleasable = new Set<FolioId>();

  lockHeldAt(f: FolioId, pass: number): boolean {
    return this.lockHeld.size !== 0 && inWin(this.lockHeld.get(f), pass);
  }
  /** the last pass the holder keeps the lock (Infinity = never released) */
  lockReleasePass(f: FolioId, pass: number): number {
    const ws = this.lockHeld.get(f) ?? [];
    let end = -1;
    for (const w of ws) if (pass >= w.from && pass <= w.to) end = Math.max(end, w.to);
    return end;
  }
  dstLockHeldAt(src: FolioId, pass: number): boolean {
    return this.dstLockHeld.size !== 0 && inWin(this.dstLockHeld.get(src), pass);
  }
  extraRefsAt(f: FolioId, pass: number): number {
    if (this.extraRef.size === 0) return 0;
    let n = 0;
    for (const r of this.extraRef.get(f) ?? []) if (inWin([r.win], pass)) n += r.amount;
    return n;
  }
  writebackAt(f: FolioId, pass: number): boolean {
    return this.writeback.size !== 0 && inWin(this.writeback.get(f), pass);
  }
  /** the last pass writeback lasts (Infinity = never ends) */
  writebackEnd(f: FolioId, pass: number): number {
    let end = -1;
    for (const w of this.writeback.get(f) ?? []) if (pass >= w.from && pass <= w.to) end = Math.max(end, w.to);
    return end;
  }
  isolateFails(f: FolioId): boolean {
    return this.isolateFail.has(f);
  }
  /**
   * Does a destination allocation on `node` fail now? Each matching `after K` fault
   * lets K allocations through first (counted per fault, across the operation).
   */
  allocFails(node: number): boolean {
    if (this.alloc.length === 0) return false;
    let fail = false;
    for (const a of this.alloc) {
      if (a.node !== undefined && a.node !== node) continue;
      if (a.mode === 'after') {
        if (a.seen >= a.arg) fail = true;
        else a.seen++;
      } else fail = true;
    }
    return fail;
  }
  movableAnswer(f: FolioId, pass: number): number | undefined {
    if (this.movable.size === 0) return undefined;
    for (const m of this.movable.get(f) ?? []) if (inWin([m.win], pass)) return m.rc;
    return undefined;
  }
}

export interface InjectError {
  line: number;
  message: string;
}

const ERRNOS: Record<string, number> = { EAGAIN: 11, EBUSY: 16, ENOMEM: 12, EINVAL: 22, EIO: 5, ENOSPC: 28 };

/**
 * Adds one `inject` statement. `folioId` resolves a declared folio name; `addr`
 * resolves `app heap[0]` to a process name and address. Returns an error naming
 * what is wrong, or undefined.
 */
export function addInject(
  inj: Injections,
  s: InjectStmt,
  folioId: (name: string) => FolioId | undefined,
  addr: (s: InjectStmt) => { proc: string; addr: number } | undefined,
): InjectError | undefined {
  const errors: InjectError[] = [];
  {
    const line = s.range.start.line;
    const fault = s.fault?.text;
    const win: PassWindow = s.passes
      ? { from: Number(s.passes.from?.value ?? 0n), to: s.passes.to !== undefined ? Number(s.passes.to.value) : Number(s.passes.from?.value ?? 0n) }
      : ALWAYS;
    const needFolio = (): FolioId | undefined => {
      const name = s.folio?.text;
      if (name === undefined) {
        errors.push({ line, message: `inject ${fault}: which folio?` });
        return undefined;
      }
      const f = folioId(name);
      if (f === undefined) errors.push({ line, message: `inject ${fault}: no folio named '${name}' is declared` });
      return f;
    };
    const push = <T>(m: Map<FolioId, T[]>, f: FolioId, v: T) => {
      const a = m.get(f);
      if (a) a.push(v);
      else m.set(f, [v]);
    };
    switch (fault) {
      case 'lock': {
        const f = needFolio();
        if (f !== undefined) {
          push(inj.lockHeld, f, win);
          inj.lockLine.set(f, line);
        }
        break;
      }
      case 'dst_lock': {
        const f = needFolio();
        if (f !== undefined) push(inj.dstLockHeld, f, win);
        break;
      }
      case 'ref': {
        const f = needFolio();
        if (f !== undefined) push(inj.extraRef, f, { amount: Number(s.amount?.value ?? 1n), win });
        break;
      }
      case 'writeback': {
        const f = needFolio();
        if (f !== undefined) push(inj.writeback, f, win);
        break;
      }
      case 'alloc': {
        const mode = (s.allocMode?.text ?? 'always') as AllocFault['mode'];
        if (mode !== 'always' && mode !== 'after' && mode !== 'on') {
          errors.push({ line, message: `inject alloc fails: expected always, after K or on node N, got '${mode}'` });
          break;
        }
        const node = s.allocNode !== undefined ? Number(s.allocNode.value) : undefined;
        inj.alloc.push({ mode, arg: Number(s.allocArg?.value ?? 0n), node, line, seen: 0 });
        break;
      }
      case 'split': {
        const f = needFolio();
        const r = s.result?.text ?? 'EAGAIN';
        if (f !== undefined) inj.splitFails.set(f, ERRNOS[r.replace(/^-/, '')] ?? 11);
        break;
      }
      case 'isolate': {
        const f = needFolio();
        if (f !== undefined) inj.isolateFail.add(f);
        break;
      }
      case 'movable': {
        const f = needFolio();
        const r = (s.result?.text ?? '0').replace(/^-/, '');
        const rc = r === '0' ? 0 : -(ERRNOS[r] ?? 0);
        if (r !== '0' && ERRNOS[r] === undefined) errors.push({ line, message: `inject movable: unknown result '${s.result?.text}'` });
        else if (f !== undefined) push(inj.movable, f, { rc, win });
        break;
      }
      case 'pte_offset_map_lock': {
        const a = s.at ? addr(s) : undefined;
        inj.pteMapLockOnce.push({ proc: a?.proc, addr: a?.addr, line });
        break;
      }
      case 'pmd': {
        const a = addr(s);
        if (!a) errors.push({ line, message: 'inject pmd: which address (process and mapping)?' });
        else inj.badPmd.push({ ...a, line });
        break;
      }
      case 'mce': {
        const f = needFolio();
        if (f !== undefined) inj.mce.add(f);
        break;
      }
      case 'release': {
        const f = needFolio();
        if (f !== undefined) inj.release.add(f);
        break;
      }
      case 'private': {
        const f = needFolio();
        if (f !== undefined) inj.privateUnreleasable.add(f);
        break;
      }
      default:
        errors.push({ line, message: `inject: unknown fault '${fault ?? ''}'` });
    }
  }
  return errors[0];
}

/** Builds Injections from every inject statement of a scenario (folios must be resolvable). */
export function resolveInjections(
  scenario: Scenario,
  folioId: (name: string) => FolioId | undefined,
  addr: (s: InjectStmt) => { proc: string; addr: number } | undefined,
): { inj: Injections; errors: InjectError[] } {
  const inj = new Injections();
  const errors: InjectError[] = [];
  for (const s of scenario.statements) {
    if (s.kind !== 'inject') continue;
    const e = addInject(inj, s, folioId, addr);
    if (e) errors.push(e);
  }
  return { inj, errors };
}
