// What names mean in an expression at one event: the event itself, the locals
// of the chosen frame (then its callers), folios, kernel lists, stats, vmstat, nodes.
import type { Env, Value } from './expr';
import type { FolioInfo, StateView, TraceView } from './trace-view';

const CONSTANTS: Record<string, Value> = { true: true, false: false, none: null, null: null, NULL: null };

export class EventEnv implements Env {
  private folioCache = new Map<number, FolioInfo>();

  constructor(
    private readonly trace: TraceView,
    readonly index: number,
    readonly state: StateView,
    /** the frame the expression is evaluated in (0 = outermost); default innermost */
    private readonly frameDepth = trace.stack(index).length - 1,
  ) {}

  folio(id: number): FolioInfo {
    let f = this.folioCache.get(id);
    if (!f) {
      f = this.state.folio(id);
      this.folioCache.set(id, f);
    }
    return f;
  }

  folioName(id: number): string {
    return this.trace.folioName(id);
  }

  lookup(name: string): Value | undefined {
    const t = this.trace;
    const i = this.index;
    // A local of the frame (or its callers) wins over the event's own fields of the same
    // name (`pass`), so that a condition reads what the Locals view shows.
    if (name !== 'folio' && name !== 'event')
      for (let d = this.frameDepth; d >= 0; d--) {
        const v = this.state.locals(d)[name];
        if (v !== undefined) return v;
      }
    switch (name) {
      case 'folio': {
        const id = t.folioOf(i);
        return id < 0 ? null : { t: 'folio', id };
      }
      case 'event':
        return t.eventNames[t.eventCode(i)];
      case 'pass':
        return t.pass(i);
      case 'line':
        return t.line(i) + 1;
      case 'task':
        return t.task(i);
      case 'index':
        return i;
      case 'function':
        return t.stack(i)[this.frameDepth] ?? '';
      case 'stats':
        return { t: 'obj', name: 'stats', fields: this.state.stats() };
      case 'vmstat':
        return { t: 'obj', name: 'vmstat', fields: this.state.vmstat() };
      case 'nodes':
        return { t: 'arr', name: 'nodes', items: this.state.nodes().map((n) => ({ t: 'obj', name: `node ${n.id}`, fields: { ...n } })) };
    }
    const fid = this.state.folioId(name);
    if (fid !== undefined) return { t: 'folio', id: fid };
    if (this.state.listNames().includes(name)) {
      const st = this.state;
      return { t: 'list', name, size: st.listSize(name), slice: (a: number, b: number) => st.listSlice(name, a, b) };
    }
    const s = this.state.stats()[name];
    if (s !== undefined) return s;
    const v = this.state.vmstat()[name];
    if (v !== undefined) return v;
    if (name in CONSTANTS) return CONSTANTS[name];
    // Hover on a process or mapping name in the scenario shows what the page tables hold for it.
    const mapped = this.mappingNamed(name);
    if (mapped) return mapped;
    // Event names and errnos (EAGAIN, MIGRATEPAGE_UNMAP, MIGRATE_SYNC) compare as text: `event == EAGAIN`.
    if (/^[A-Z][A-Z0-9_]*$/.test(name) || t.eventNames.includes(name)) return name;
    return undefined;
  }

  private mappingNamed(name: string): Value | undefined {
    const procs = this.state.processes();
    const p = procs.find((x) => x.name === name);
    const hex = (n: number): string => `0x${n.toString(16)}`;
    if (p) return { t: 'obj', name, fields: Object.fromEntries(p.vmas.map((v) => [`${v.name} ${hex(v.start)}`, `${hex(v.start)}-${hex(v.end)} ${v.desc}`])) };
    const pieces = procs.flatMap((x) => x.vmas.filter((v) => v.name === name).map((v) => ({ p: x.name, v })));
    if (!pieces.length) return undefined;
    const fields: Record<string, Value> = {};
    for (const { p: proc, v } of pieces) {
      let present = 0;
      let migration = 0;
      let huge = 0;
      for (const pmd of v.pmds) {
        if (pmd.state === 'huge') huge++;
        for (const e of pmd.ptes) {
          if (e.state === 'present') present++;
          else if (e.state.startsWith('migration')) migration++;
        }
      }
      fields[`${proc} ${hex(v.start)}-${hex(v.end)}`] = `${v.desc}: ${huge ? `${huge} PMD-mapped, ` : ''}${present} present PTEs, ${migration} migration entries`;
    }
    return { t: 'obj', name, fields };
  }

  names(): string[] {
    const out = ['folio', 'event', 'pass', 'line', 'task', 'index', 'function', 'stats', 'vmstat', 'nodes'];
    for (let d = this.frameDepth; d >= 0; d--) out.push(...Object.keys(this.state.locals(d)));
    out.push(...this.state.listNames(), ...Object.keys(this.state.stats()), ...Object.keys(this.state.vmstat()));
    const n = Math.min(this.state.folioCount(), 2000);
    for (let id = 0; id < n; id++) out.push(this.trace.folioName(id));
    return out;
  }
}
