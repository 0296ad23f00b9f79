// Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time, so
// a missed goal is reported as "this function, in this file, takes this long".
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/**
 * Inclusive time per function (itself and everything it calls), to find which
 * step of a pipeline is slow when self time is spread over many small helpers.
 * A recursive function is counted once per stack.
 */
export function inclusiveTimes(file: string, top = 20, urlFilter?: (url: string) => boolean): HotFunction[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfTime = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    selfTime.set(prof.samples[i]!, (selfTime.get(prof.samples[i]!) ?? 0) + dt);
  }
  const total = [...selfTime.values()].reduce((s, x) => s + x, 0) || 1;
  const agg = new Map<string, HotFunction>();
  for (const [leaf, t] of selfTime) {
    const seen = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      const { functionName, url, lineNumber } = n.callFrame;
      if (!url || (urlFilter && !urlFilter(url))) continue;
      const name = functionName || '(anonymous)';
      const where = `${url.replace(/^file:\/\//, '')}:${lineNumber + 1}`;
      const key = `${name}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const h = agg.get(key) ?? { name, where, selfMs: 0, share: 0 };
      h.selfMs += t;
      agg.set(key, h);
    }
  }
  return [...agg.values()]
    .map((h) => ({ ...h, share: h.selfMs / total }))
    .sort((x, y) => y.selfMs - x.selfMs)
    .slice(0, top);
}

export function hotFunctions(file: string, top = 15, urlFilter?: (url: string) => boolean): HotFunction[] {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; // the delta after a sample is the time spent in it
    self.set(prof.samples[i]!, (self.get(prof.samples[i]!) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((s, x) => s + x, 0) || 1;
  const agg = new Map<string, HotFunction>();
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    if (urlFilter && !urlFilter(url)) continue;
    const name = functionName || (url ? '(anonymous)' : `(${n.callFrame.functionName || 'program'})`);
    const where = url ? `${url.replace(/^file:\/\//, '')}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const h = agg.get(key) ?? { name, where, selfMs: 0, share: 0 };
    h.selfMs += t;
    agg.set(key, h);
  }
  return [...agg.values()]
    .map((h) => ({ ...h, share: h.selfMs / total }))
    .sort((x, y) => y.selfMs - x.selfMs)
    .slice(0, top);
}
