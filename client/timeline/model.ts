// The trace timeline's cell model: one row per folio (per operation), one
// column per pass and phase, each cell the outcome the folio had there. A pure
// function of a RunResult, so it is unit-tested and benchmarked without VS Code.
//
// Phases follow migrate_pages_batch(): every folio of a pass is unmapped first
// (MIGRATEPAGE_UNMAP or a failure of migrate_folio_unmap()), then the unmapped
// ones are moved (MIGRATEPAGE_SUCCESS, a failure of migrate_folio_move(), undo).
// An event on a folio already unmapped in the same pass belongs to its move phase.
// Events outside a pass loop (isolation before the first pass) get their own column.

import type { RunResult } from '../../engine';
import { EV, eventName } from '../../engine';

/** Outcome codes of a cell (index into OUTCOMES); 0 = nothing happened there. */
export const OUTCOMES = ['', 'MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS', 'EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'ENOSYS', 'EOPNOTSUPP', 'EHWPOISON', 'EIO', 'EINVAL', 'isolate_failed', 'split', 'split_failed', 'undo'] as const;
export type Outcome = (typeof OUTCOMES)[number];
const CODE = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));
const UNMAP = CODE.get('MIGRATEPAGE_UNMAP')!;
const SUCCESS = CODE.get('MIGRATEPAGE_SUCCESS')!;
const SPLIT = CODE.get('split')!;
const UNDO = CODE.get('undo')!;

/** Cell flag: the folio was also split in this cell (the outcome shows why it was). */
export const FLAG_SPLIT = 1;

export type Phase = 'isolate' | 'unmap' | 'move' | 'after';

export interface TimelineColumn {
  label: string;
  phase: Phase;
  /** the pass (0-based), -1 for isolate/after */
  pass: number;
}

export interface TimelineModel {
  columns: TimelineColumn[];
  rows: number;
  /** per row: the folio id, the operation index (into ops), the display name */
  rowFolio: Int32Array;
  rowOp: Int32Array;
  rowLabel: string[];
  /** per row: index into endNames: the kernel list the folio ended on, or where it went */
  rowEnd: Uint16Array;
  endNames: string[];
  /** rows × columns, row-major: outcome code, the deciding event (-1 none), flags */
  cells: Uint8Array;
  cellEvent: Int32Array;
  cellFlags: Uint8Array;
  /** per operation: its 0-based scenario line and kind */
  ops: { line: number; kind: string }[];
}

/** Row-major cell index. */
export function cellIndex(m: TimelineModel, row: number, col: number): number {
  return row * m.columns.length + col;
}

/** The outcome name of a cell ('' when empty). */
export function outcomeAt(m: TimelineModel, row: number, col: number): Outcome {
  return OUTCOMES[m.cells[cellIndex(m, row, col)]];
}

/** Builds the cell model of every operation of a run. */
export function buildTimelineModel(r: RunResult): TimelineModel {
  const t = r.trace;
  const st = r.state;
  const nameOf = new Map<number, string>();
  for (const [name, id] of r.folios) nameOf.set(id, name);
  const label = (f: number) => nameOf.get(f) ?? st.folioName(f);

  // Event type id → outcome code (0 = not a cell outcome), computed once per type.
  const codeOfType: number[] = [];
  const codeOf = (type: number) => {
    let c = codeOfType[type];
    if (c === undefined) codeOfType[type] = c = CODE.get(eventName(type)) ?? 0;
    return c;
  };
  const putback = EV.putback;

  // First sweep: rows (folio × operation in first-seen order), the passes used, whether isolate/after columns are needed.
  let maxPass = -1;
  let needIsolate = false;
  let needAfter = false;
  const rowFolio: number[] = [];
  const rowOp: number[] = [];
  const rowOf: Int32Array[] = [];
  const maxFolio = st.nFolios;
  for (let o = 0; o < r.ops.length; o++) {
    const op = r.ops[o];
    const rows = new Int32Array(maxFolio).fill(-1);
    rowOf.push(rows);
    let sawPass = false;
    const end = Math.min(op.endEvent, t.n);
    for (let i = op.firstEvent; i < end; i++) {
      const f = t.folio[i];
      if (f < 0) continue;
      const type = t.type[i];
      const c = codeOf(type);
      if (c === 0 && type !== putback) continue;
      if (rows[f] < 0) {
        rows[f] = rowFolio.length;
        rowFolio.push(f);
        rowOp.push(o);
      }
      if (c === 0) continue;
      const p = t.pass_[i];
      if (p >= 0) {
        sawPass = true;
        if (p > maxPass) maxPass = p;
      } else if (sawPass) needAfter = true;
      else needIsolate = true;
    }
  }

  const columns: TimelineColumn[] = [];
  if (needIsolate) columns.push({ label: 'isolate', phase: 'isolate', pass: -1 });
  const passBase = columns.length;
  for (let p = 0; p <= maxPass; p++) {
    columns.push({ label: `pass ${p} unmap`, phase: 'unmap', pass: p });
    columns.push({ label: `pass ${p} move`, phase: 'move', pass: p });
  }
  const afterCol = needAfter ? columns.length : -1;
  if (needAfter) columns.push({ label: 'after', phase: 'after', pass: -1 });
  const nCols = columns.length;
  const nRows = rowFolio.length;
  const cells = new Uint8Array(nRows * nCols);
  const cellEvent = new Int32Array(nRows * nCols).fill(-1);
  const cellFlags = new Uint8Array(nRows * nCols);
  const rowEnd = new Uint16Array(nRows);
  const endNames: string[] = [''];
  const endIndex = new Map<string, number>([['', 0]]);
  const endOf = (s: string) => {
    let k = endIndex.get(s);
    if (k === undefined) {
      k = endNames.length;
      endNames.push(s);
      endIndex.set(s, k);
    }
    return k;
  };

  // Second sweep: the cells, and per operation the moment right before its first putback (the lists are still whole then).
  const unmappedIn = new Int16Array(maxFolio).fill(-2);
  const migrated = new Uint8Array(nRows);
  for (let o = 0; o < r.ops.length; o++) {
    const op = r.ops[o];
    const rows = rowOf[o];
    let sawPass = false;
    let firstPutback = -1;
    const end = Math.min(op.endEvent, t.n);
    unmappedIn.fill(-2);
    for (let i = op.firstEvent; i < end; i++) {
      const f = t.folio[i];
      if (f < 0) continue;
      const type = t.type[i];
      if (type === putback) {
        if (firstPutback < 0) firstPutback = i;
        continue;
      }
      const c = codeOf(type);
      if (c === 0) continue;
      const p = t.pass_[i];
      let col: number;
      if (p >= 0) {
        sawPass = true;
        const move = c === SUCCESS || c === UNDO || (c !== UNMAP && unmappedIn[f] === p);
        if (c === UNMAP) unmappedIn[f] = p;
        col = passBase + 2 * p + (move ? 1 : 0);
      } else col = sawPass ? afterCol : 0;
      const row = rows[f];
      const k = row * nCols + col;
      if (c === SPLIT) {
        cellFlags[k] |= FLAG_SPLIT;
        if (cells[k] !== 0) continue; // keep the outcome that led to the split
      }
      cells[k] = c;
      cellEvent[k] = i;
      if (c === SUCCESS) migrated[row] = 1;
    }
    // Where each row ended: the destination node when it moved, else the list it sat on before putback.
    const at = firstPutback > 0 ? firstPutback - 1 : end - 1;
    const s = at >= 0 && at < t.n ? t.stateAt(at) : null;
    for (let row = 0; row < nRows; row++) {
      if (rowOp[row] !== o) continue;
      const f = rowFolio[row];
      if (migrated[row]) {
        const cur = st.current(f);
        rowEnd[row] = endOf(`migrated → node ${st.node(cur)}`);
      } else if (s && s.list(f) !== 0) rowEnd[row] = endOf(s.listName(s.list(f)));
    }
  }

  return {
    columns,
    rows: nRows,
    rowFolio: Int32Array.from(rowFolio),
    rowOp: Int32Array.from(rowOp),
    rowLabel: rowFolio.map(label),
    rowEnd,
    endNames,
    cells,
    cellEvent,
    cellFlags,
    ops: r.ops.map((op) => ({ line: op.line, kind: op.kind })),
  };
}
