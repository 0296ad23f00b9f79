// The timeline model as the webview receives it: typed arrays as base64
// strings, not one object per cell, so 10,000 folios × 10 passes is a few
// hundred kilobytes of JSON and one decode in the webview.

import { OUTCOMES, type TimelineModel } from './model';

export interface TimelineWire {
  title: string;
  /** what a click does: 'goto' (debug session) or 'reveal' (editor) */
  mode: 'goto' | 'reveal';
  columns: string[];
  outcomes: readonly string[];
  rows: number;
  labels: string[];
  endNames: string[];
  /** base64 of Uint8Array rows × columns */
  cells: string;
  flags: string;
  /** base64 of Uint16Array per row */
  ends: string;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export function toWire(m: TimelineModel, title: string, mode: TimelineWire['mode']): TimelineWire {
  return {
    title,
    mode,
    columns: m.columns.map((c) => c.label),
    outcomes: OUTCOMES,
    rows: m.rows,
    labels: m.rowLabel,
    endNames: m.endNames,
    cells: b64(m.cells),
    flags: b64(m.cellFlags),
    ends: b64(m.rowEnd),
  };
}
