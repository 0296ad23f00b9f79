// What a breakpoint on a scenario line means:
//   a line that ran kernel code (an operation)   stop when it starts
//   a folio or mapping declaration               stop at every event concerning that folio / those folios
//   anything else (comment, blank, expect, node) cannot stop: move to the nearest line that can, and say why
import type { TraceIndex } from './trace-index';
import type { LoadedRun } from './trace-view';

export interface LineTarget {
  line: number;
  events: Int32Array;
  moved: boolean;
  message?: string;
}

/** `all`: every event of the line (goto targets) rather than where each run of it starts (breakpoints). */
export function lineBreakpointTarget(run: LoadedRun, ix: TraceIndex, line: number, all = false): LineTarget {
  const here = eventsFor(run, ix, line, all);
  if (here?.length) return { line, events: here, moved: false };
  const why = whyNot(run, line, here !== undefined);
  const last = Math.max(run.lines.length, 1);
  for (let d = 1; d < last; d++) {
    for (const l of [line + d, line - d]) {
      if (l < 0 || l >= last) continue;
      const ev = eventsFor(run, ix, l, all);
      if (ev?.length) return { line: l, events: ev, moved: true, message: `${why}: stops at line ${l + 1} instead.` };
    }
  }
  return { line, events: new Int32Array(0), moved: false, message: `${why}, and no line of this scenario produced an event.` };
}

/** undefined: the line cannot stop by its nature; an empty array: it could, but did nothing in this run. */
function eventsFor(run: LoadedRun, ix: TraceIndex, line: number, all: boolean): Int32Array | undefined {
  const decl = run.declarations.find((d) => d.line === line);
  if (decl) return merge(decl.folios.map((f) => ix.eventsOfFolio(f)));
  const ev = ix.eventsOfLine(line);
  if (!ev.length) return run.operationLines.includes(line) ? ev : undefined;
  if (all) return ev;
  // the start of each run of the line's events (an operation starts once, but be general)
  const starts: number[] = [];
  for (let k = 0; k < ev.length; k++) if (k === 0 || ev[k - 1] !== ev[k] - 1) starts.push(ev[k]);
  return Int32Array.from(starts);
}

function whyNot(run: LoadedRun, line: number, couldStop: boolean): string {
  const text = (run.lines[line] ?? '').trim();
  const n = line + 1;
  if (couldStop) return `Line ${n} produced no event in this run`;
  if (!text) return `Line ${n} is blank`;
  if (text.startsWith('#')) return `Line ${n} is a comment`;
  const word = text.split(/\s+/)[0];
  if (word === 'expect') return `Line ${n} is an expectation (checked after its operation)`;
  return `Line ${n} (${word}) runs no kernel code`;
}

function merge(arrays: Int32Array[]): Int32Array {
  if (arrays.length === 1) return arrays[0];
  const all = new Set<number>();
  for (const a of arrays) for (const x of a) all.add(x);
  return Int32Array.from([...all].sort((a, b) => a - b));
}
