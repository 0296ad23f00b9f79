// The timeline webview (runs in the browser): a virtualized grid. Only the rows
// in view are in the DOM, rebuilt on scroll, so 10,000 folios cost the same as
// 30. Keyboard: arrows/Home/End/PageUp/PageDown move the focused cell, Enter or
// Space activates it (jump the debugger there, or reveal the scenario line).

import type { TimelineWire } from '../wire';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ROW_H = 22;
const OVERSCAN = 8;

/** Colour and short text of each outcome; the colours are theme variables set in html.ts. */
const STYLE: Record<string, [string, string]> = {
  MIGRATEPAGE_UNMAP: ['var(--o-unmap)', 'UNMAP'],
  MIGRATEPAGE_SUCCESS: ['var(--o-success)', 'SUCCESS'],
  EAGAIN: ['var(--o-eagain)', 'EAGAIN'],
  EBUSY: ['var(--o-ebusy)', 'EBUSY'],
  ENOMEM: ['var(--o-enomem)', 'ENOMEM'],
  split: ['var(--o-split)', 'split'],
  split_failed: ['var(--o-split)', 'split ✗'],
  undo: ['var(--o-undo)', 'undo'],
  isolate_failed: ['var(--o-other)', 'isolate ✗'],
};
const styleOf = (o: string): [string, string] => STYLE[o] ?? ['var(--o-other)', o];

interface Data {
  w: TimelineWire;
  cells: Uint8Array;
  flags: Uint8Array;
  ends: Uint16Array;
}

function decode(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const $ = (id: string) => document.getElementById(id)!;
const grid = $('grid');
const head = $('head');
const spacer = $('spacer');
const rowsEl = $('rows');

let data: Data | null = null;
let focusRow = 0;
let focusCol = 0;
let drawn = { first: -1, last: -1 };

function cellText(d: Data, row: number, col: number): { outcome: string; text: string; label: string } {
  const k = row * d.w.columns.length + col;
  const outcome = d.w.outcomes[d.cells[k]] ?? '';
  const split = (d.flags[k] & 1) !== 0;
  const text = outcome ? styleOf(outcome)[1] + (split && outcome !== 'split' ? ' ✂' : '') : '·';
  const label = `${d.w.labels[row]}, ${d.w.columns[col]}: ${outcome || 'nothing'}${split && outcome !== 'split' ? ', split' : ''}`;
  return { outcome, text, label };
}

function render(force = false): void {
  if (!data) return;
  const d = data;
  const nCols = d.w.columns.length;
  const top = Math.max(0, grid.scrollTop - ROW_H);
  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const last = Math.min(d.w.rows, Math.ceil((top + grid.clientHeight) / ROW_H) + OVERSCAN);
  if (!force && first === drawn.first && last === drawn.last) return;
  drawn = { first, last };
  rowsEl.style.top = `${first * ROW_H}px`;
  const frag = document.createDocumentFragment();
  for (let r = first; r < last; r++) {
    const row = document.createElement('div');
    row.className = 'row';
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(r + 2));
    const lab = document.createElement('div');
    lab.className = 'lab';
    lab.setAttribute('role', 'rowheader');
    lab.textContent = d.w.labels[r];
    lab.title = d.w.labels[r];
    row.appendChild(lab);
    for (let c = 0; c < nCols; c++) {
      const { outcome, text, label } = cellText(d, r, c);
      const cell = document.createElement('div');
      const code = d.cells[r * nCols + c];
      cell.className = `c o${code ? 'x' : '0'}${r === focusRow && c === focusCol ? ' f' : ''}`;
      cell.id = `c-${r}-${c}`;
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-label', label);
      cell.dataset.r = String(r);
      cell.dataset.c = String(c);
      cell.dataset.outcome = outcome;
      if (code) cell.style.background = styleOf(outcome)[0];
      cell.textContent = text;
      cell.title = label;
      row.appendChild(cell);
    }
    const end = document.createElement('div');
    end.className = 'end';
    end.setAttribute('role', 'gridcell');
    end.textContent = d.w.endNames[d.ends[r]] ?? '';
    row.appendChild(end);
    frag.appendChild(row);
  }
  rowsEl.replaceChildren(frag);
  grid.setAttribute('aria-activedescendant', `c-${focusRow}-${focusCol}`);
}

function show(w: TimelineWire): void {
  const cells = decode(w.cells);
  const flags = decode(w.flags);
  const endBytes = decode(w.ends);
  const ends = new Uint16Array(endBytes.buffer, endBytes.byteOffset, endBytes.byteLength >> 1);
  data = { w, cells, flags, ends };
  focusRow = Math.min(focusRow, Math.max(0, w.rows - 1));
  focusCol = Math.min(focusCol, Math.max(0, w.columns.length - 1));
  $('title').textContent = w.title;
  $('hint').textContent =
    w.rows === 0
      ? 'No folio went through a migration in this run.'
      : `${w.rows.toLocaleString('en')} folio row${w.rows === 1 ? '' : 's'} × ${w.columns.length} columns. ${w.mode === 'goto' ? 'Click a cell or press Enter to jump the debugger to that event.' : 'Click a cell or press Enter to reveal its scenario line.'}`;
  const used = new Set<number>(cells);
  const legend = $('legend');
  legend.replaceChildren();
  w.outcomes.forEach((o, i) => {
    if (!o || !used.has(i)) return;
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'sw';
    sw.style.background = styleOf(o)[0];
    li.append(sw, document.createTextNode(styleOf(o)[1] === o ? o : `${styleOf(o)[1]} (${o})`));
    legend.appendChild(li);
  });
  if (flags.some((f) => f & 1)) {
    const li = document.createElement('li');
    li.textContent = '✂ the folio was split there';
    legend.appendChild(li);
  }
  const hrow = document.createElement('div');
  hrow.className = 'lab';
  hrow.setAttribute('role', 'columnheader');
  hrow.textContent = 'folio';
  const hs: HTMLElement[] = [hrow];
  for (const c of w.columns) {
    const h = document.createElement('div');
    h.className = 'c';
    h.setAttribute('role', 'columnheader');
    h.textContent = c;
    hs.push(h);
  }
  const he = document.createElement('div');
  he.className = 'end';
  he.setAttribute('role', 'columnheader');
  he.textContent = 'ended on';
  hs.push(he);
  head.replaceChildren(...hs);
  grid.setAttribute('aria-rowcount', String(w.rows + 1));
  grid.setAttribute('aria-colcount', String(w.columns.length + 2));
  spacer.style.height = `${w.rows * ROW_H}px`;
  render(true);
}

function activate(): void {
  if (!data || data.w.rows === 0) return;
  vscode.postMessage({ type: 'activate', row: focusRow, col: focusCol });
}

/** Moves the focus, scrolling the row into view (the header row stays on top). */
function focusCell(r: number, c: number): void {
  if (!data) return;
  focusRow = Math.max(0, Math.min(data.w.rows - 1, r));
  focusCol = Math.max(0, Math.min(data.w.columns.length - 1, c));
  const y = focusRow * ROW_H;
  const view = grid.clientHeight - 2 * ROW_H;
  if (y < grid.scrollTop) grid.scrollTop = y;
  else if (y > grid.scrollTop + view) grid.scrollTop = y - view;
  render(true);
  document.getElementById(`c-${focusRow}-${focusCol}`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

grid.addEventListener('scroll', () => requestAnimationFrame(() => render()));
window.addEventListener('resize', () => render(true));
grid.addEventListener('keydown', (e) => {
  if (!data) return;
  const page = Math.max(1, Math.floor(grid.clientHeight / ROW_H) - 2);
  const moves: Record<string, [number, number]> = {
    ArrowUp: [focusRow - 1, focusCol],
    ArrowDown: [focusRow + 1, focusCol],
    ArrowLeft: [focusRow, focusCol - 1],
    ArrowRight: [focusRow, focusCol + 1],
    PageUp: [focusRow - page, focusCol],
    PageDown: [focusRow + page, focusCol],
    Home: e.ctrlKey ? [0, 0] : [focusRow, 0],
    End: e.ctrlKey ? [data.w.rows - 1, data.w.columns.length - 1] : [focusRow, data.w.columns.length - 1],
  };
  const m = moves[e.key];
  if (m) {
    e.preventDefault();
    focusCell(m[0], m[1]);
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    activate();
  }
});
rowsEl.addEventListener('click', (e) => {
  const el = (e.target as HTMLElement).closest<HTMLElement>('.c');
  if (!el || el.dataset.r === undefined) return;
  grid.focus();
  focusCell(Number(el.dataset.r), Number(el.dataset.c));
  activate();
});
window.addEventListener('message', (e: MessageEvent<{ type: string; data?: TimelineWire; message?: string }>) => {
  if (e.data.type === 'model' && e.data.data) show(e.data.data);
});
vscode.postMessage({ type: 'ready' });
