// A MemState with a trace, one order-`order` anon folio on node 0, and one event already
// emitted, so what a test does next is in a fresh window after an event.

import { MemState, Kind, Zone, F, type NodeSpec } from '../../engine/state';
import { Trace, EV } from '../../engine/trace';

export function sealedMachine(nodes: NodeSpec[], order = 0): { st: MemState; trace: Trace; folio: number } {
  const st = new MemState();
  st.setNodes(nodes);
  const trace = new Trace(st);
  const folio = st.newFolio({ kind: Kind.ANON, order, node: 0, zone: Zone.NORMAL, flags: F.LRU, refcount: 1, mapping: 1 });
  trace.resetBase();
  trace.emit(EV.retry_pass); // seals the window: what follows is after an event
  return { st, trace, folio };
}

/** The ops of the log records from index `from` on. */
export const opsSince = (t: Trace, from: number): number[] => Array.from({ length: t.log.n - from }, (_, i) => t.log.opAt(from + i));
