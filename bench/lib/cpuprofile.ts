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
