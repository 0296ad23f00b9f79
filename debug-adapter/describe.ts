// One-line descriptions of events, for stop reasons ("EAGAIN on folio B in pass 2"),
// goto targets and the `events` console command.
import type { TraceView } from './trace-view';

export function describeEvent(t: TraceView, i: number): string {
  const stack = t.stack(i);
  const fn = stack[stack.length - 1] ?? '';
  const detail = t.detail(i);
  const k = t.kind(i);
  if (k === 'entry') return `entered ${fn}${onFolio(t, i)}`;
  if (k === 'exit') return `${fn} returned${detail ? ` ${detail}` : ''}${onFolio(t, i)}`;
  const pass = t.pass(i);
  return `${t.eventNames[t.eventCode(i)]}${onFolio(t, i)}${pass >= 0 ? ` in pass ${pass}` : ''}${detail ? ` (${detail})` : ''}`;
}

function onFolio(t: TraceView, i: number): string {
  const f = t.folioOf(i);
  return f >= 0 ? ` on folio ${t.folioName(f)}` : '';
}

/** `#12  line 8  migrate_folio_unmap  EAGAIN on folio B in pass 2` */
export function eventLine(t: TraceView, i: number): string {
  const stack = t.stack(i);
  return `#${i}  line ${t.line(i) + 1}  ${stack[stack.length - 1] ?? '(scenario)'}  ${describeEvent(t, i)}`;
}
