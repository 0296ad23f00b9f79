// The Variables view at one stop: scopes per frame (Event, Locals, Lists, Folios,
// Page tables, Nodes, Stats) and their children, built lazily and paged, so a
// 100,000-folio state costs only what the client expands. Everything is
// read-only (the trace is a recording). A value that differs from what the same
// variable showed at the previous stop carries the presentation attribute `changed`.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Handles } from '@vscode/debugadapter';
import { show, type Value } from './expr';
import type { EventEnv } from './env';
import type { FolioInfo, PmdInfo, ProcessInfo, StateView, TraceView, VmaInfo } from './trace-view';

type Ref =
  | { k: 'event' }
  | { k: 'locals'; depth: number }
  | { k: 'lists' }
  | { k: 'list'; name: string }
  | { k: 'folios' }
  | { k: 'folio'; id: number; path: string }
  | { k: 'tables' }
  | { k: 'process'; p: number }
  | { k: 'vma'; p: number; v: number }
  | { k: 'pmd'; p: number; v: number; m: number }
  | { k: 'nodes' }
  | { k: 'stats' }
  | { k: 'statgroup'; which: 'stats' | 'vmstat' }
  | { k: 'value'; value: Value; path: string };

/** How big a list may be before its items are paged (indexed variables). */
const PAGE_AT = 100;

export class StopVariables {
  private handles = new Handles<Ref>(1000);
  /** what each variable path showed at this stop (the next stop compares against it) */
  readonly shown = new Map<string, string>();
  private procCache: ProcessInfo[] | null = null;

  constructor(
    private readonly trace: TraceView,
    private readonly index: number,
    private readonly state: StateView,
    private readonly env: EventEnv,
    private readonly prevShown: Map<string, string>,
  ) {}

  scopes(depth: number): DebugProtocol.Scope[] {
    const st = this.state;
    const scope = (name: string, ref: Ref, extra: Partial<DebugProtocol.Scope> = {}): DebugProtocol.Scope => ({
      name,
      variablesReference: this.handles.create(ref),
      expensive: false,
      ...extra,
    });
    const fn = this.trace.stack(this.index)[depth] ?? '(scenario)';
    return [
      scope('Event', { k: 'event' }),
      scope(`Locals of ${fn}`, { k: 'locals', depth }, { presentationHint: 'locals' }),
      scope('Lists', { k: 'lists' }, { namedVariables: st.listNames().length }),
      scope('Folios', { k: 'folios' }, { indexedVariables: st.folioCount() }),
      scope('Page tables', { k: 'tables' }, { expensive: true }),
      scope('Nodes', { k: 'nodes' }),
      scope('Stats', { k: 'stats' }),
    ];
  }

  variables(ref: number, start = 0, count = 0): DebugProtocol.Variable[] {
    const r = this.handles.get(ref);
    if (!r) return [];
    const st = this.state;
    switch (r.k) {
      case 'event': {
        const t = this.trace;
        const i = this.index;
        const f = t.folioOf(i);
        return [
          this.leaf('index', String(i), 'event/index', 'index'),
          this.leaf('event', t.eventNames[t.eventCode(i)], 'event/name', 'event'),
          f >= 0 ? this.folioVar('folio', f, 'event/folio', 'folio') : this.leaf('folio', 'none', 'event/folio', 'folio'),
          this.leaf('pass', String(t.pass(i)), 'event/pass', 'pass'),
          this.leaf('line', String(t.line(i) + 1), 'event/line', 'line'),
          this.leaf('task', t.task(i), 'event/task', 'task'),
          this.leaf('detail', t.detail(i), 'event/detail'),
        ];
      }
      case 'locals': {
        const l = st.locals(r.depth);
        return Object.entries(l).map(([k, v]) => this.leaf(k, String(v), `locals/${r.depth}/${k}`, k));
      }
      case 'lists':
        return st.listNames().map((name) => {
          const size = st.listSize(name);
          const ref = { t: 'list' as const, name, size, slice: (a: number, b: number) => st.listSlice(name, a, b) };
          return this.named(name, show(ref, this.env), `lists/${name}`, name, { k: 'list', name }, size > PAGE_AT ? { indexedVariables: size } : { namedVariables: size });
        });
      case 'list': {
        const [a, b] = this.window(st.listSize(r.name), start, count);
        const ids = st.listSlice(r.name, a, b);
        const out: DebugProtocol.Variable[] = [];
        for (let k = a; k < b; k++) out.push(this.folioVar(`[${k}]`, ids[k - a], `list/${r.name}/${k}`, `${r.name}[${k}]`));
        return out;
      }
      case 'folios': {
        const [a, b] = this.window(st.folioCount(), start, count);
        const out: DebugProtocol.Variable[] = [];
        for (let id = a; id < b; id++) {
          const name = this.trace.folioName(id);
          out.push(this.folioVar(ids(name, id), id, `folio/${id}`, name));
        }
        return out;
      }
      case 'folio':
        return this.folioFields(this.env.folio(r.id), r.path);
      case 'value':
        return this.valueChildren(r.value, r.path);
      case 'tables':
        return this.procs().map((p, pi) => this.named(p.name, `${p.vmas.length} VMA${p.vmas.length === 1 ? '' : 's'}`, `pt/${p.name}`, p.name, { k: 'process', p: pi }));
      case 'process': {
        const p = this.procs()[r.p];
        // a VMA split by mprotect/munmap keeps its name: the range tells the pieces apart
        return p.vmas.map((v, vi) => this.named(`${v.name} ${hex(v.start)}-${hex(v.end)}`, vmaText(v), `pt/${p.name}/${v.name}/${v.start}`, v.name, { k: 'vma', p: r.p, v: vi }));
      }
      case 'vma': {
        const p = this.procs()[r.p];
        const v = p.vmas[r.v];
        const [a, b] = this.window(v.pmds.length, start, count);
        const out: DebugProtocol.Variable[] = [];
        for (let m = a; m < b; m++) {
          const pmd = v.pmds[m];
          out.push(this.named(`PMD ${hex(pmd.addr)}`, pmdText(pmd), `pt/${p.name}/${v.name}/${v.start}/${pmd.addr}`, undefined, { k: 'pmd', p: r.p, v: r.v, m }, pmd.ptes.length > PAGE_AT ? { indexedVariables: pmd.ptes.length } : {}, pmd.ptes.length === 0));
        }
        return out;
      }
      case 'pmd': {
        const p = this.procs()[r.p];
        const pmd = p.vmas[r.v].pmds[r.m];
        const [a, b] = this.window(pmd.ptes.length, start, count);
        const out: DebugProtocol.Variable[] = [];
        for (let k = a; k < b; k++) {
          const e = pmd.ptes[k];
          const text = `${e.state}${e.pfn !== undefined ? ` pfn ${hex(e.pfn)}` : ''}${e.folio ? ` (${e.folio})` : ''}${e.bits.length ? ` ${e.bits.join(' ')}` : ''}`;
          out.push(this.leaf(`PTE ${hex(e.addr)}`, text, `pt/${p.name}/${p.vmas[r.v].name}/${p.vmas[r.v].start}/${e.addr}/pte`));
        }
        return out;
      }
      case 'nodes':
        return st.nodes().map((n) => this.leaf(`node ${n.id}`, `free ${n.free}, used ${n.used} of ${n.total} pages`, `nodes/${n.id}`, `nodes[${n.id}]`));
      case 'stats':
        return [
          this.named('migrate_pages_stats', show({ t: 'obj', name: 'stats', fields: st.stats() }, this.env), 'stats', 'stats', { k: 'statgroup', which: 'stats' }),
          this.named('vmstat', show({ t: 'obj', name: 'vmstat', fields: st.vmstat() }, this.env), 'vmstat', 'vmstat', { k: 'statgroup', which: 'vmstat' }),
        ];
      case 'statgroup': {
        const fields = r.which === 'stats' ? st.stats() : st.vmstat();
        return Object.entries(fields).map(([k, v]) => this.leaf(k, String(v), `${r.which}/${k}`, `${r.which}.${k}`));
      }
    }
  }

  /** A structured value from evaluate/hover: its children reference. */
  refFor(value: Value, path: string): number {
    if (value !== null && typeof value === 'object') {
      if (value.t === 'folio') return this.handles.create({ k: 'folio', id: value.id, path });
      if (value.t === 'list') return this.handles.create({ k: 'list', name: value.name });
      return this.handles.create({ k: 'value', value, path });
    }
    return 0;
  }

  private procs(): ProcessInfo[] {
    if (!this.procCache) this.procCache = this.state.processes();
    return this.procCache;
  }

  private window(n: number, start: number, count: number): [number, number] {
    const a = Math.max(0, Math.min(n, start));
    return [a, count > 0 ? Math.min(n, a + count) : n];
  }

  private hint(path: string, value: string): DebugProtocol.VariablePresentationHint {
    this.shown.set(path, value);
    const before = this.prevShown.get(path);
    return { attributes: before !== undefined && before !== value ? ['readOnly', 'changed'] : ['readOnly'] };
  }

  private leaf(name: string, value: string, path: string, evaluateName?: string): DebugProtocol.Variable {
    return { name, value, variablesReference: 0, evaluateName, presentationHint: this.hint(path, value) };
  }

  private named(
    name: string,
    value: string,
    path: string,
    evaluateName: string | undefined,
    ref: Ref,
    extra: Partial<DebugProtocol.Variable> = {},
    leaf = false,
  ): DebugProtocol.Variable {
    return { name, value, variablesReference: leaf ? 0 : this.handles.create(ref), evaluateName, presentationHint: this.hint(path, value), ...extra };
  }

  private folioVar(name: string, id: number, path: string, evaluateName: string): DebugProtocol.Variable {
    const text = show({ t: 'folio', id }, this.env);
    return this.named(name, text, path, evaluateName, { k: 'folio', id, path: `folio/${id}` });
  }

  private folioFields(f: FolioInfo, path: string): DebugProtocol.Variable[] {
    const n = f.name;
    return [
      this.leaf('name', n, `${path}/name`),
      this.leaf('pfn', hex(f.pfn), `${path}/pfn`, `${n}.pfn`),
      this.leaf('order', String(f.order), `${path}/order`, `${n}.order`),
      this.leaf('node', String(f.node), `${path}/node`, `${n}.node`),
      this.leaf('kind', f.kind, `${path}/kind`, `${n}.kind`),
      this.leaf('flags', f.flags.join(' ') || '(none)', `${path}/flags`, `${n}.flags`),
      this.leaf('refcount', String(f.refcount), `${path}/refcount`, `${n}.refcount`),
      this.leaf('mapcount', String(f.mapcount), `${path}/mapcount`, `${n}.mapcount`),
      this.leaf('pins', String(f.pins), `${path}/pins`, `${n}.pins`),
      this.leaf('place', f.place, `${path}/place`, `${n}.place`),
      this.leaf('mapped', f.mapped.join(', ') || '(not mapped)', `${path}/mapped`, `${n}.mapped`),
    ];
  }

  private valueChildren(v: Value, path: string): DebugProtocol.Variable[] {
    if (v === null || typeof v !== 'object') return [];
    if (v.t === 'obj')
      return Object.entries(v.fields).map(([k, x]) => {
        const text = show(x, this.env);
        return { name: k, value: text, variablesReference: this.refFor(x, `${path}/${k}`), presentationHint: this.hint(`${path}/${k}`, text) };
      });
    if (v.t === 'arr')
      return v.items.map((x, k) => {
        const text = show(x, this.env);
        return { name: `[${k}]`, value: text, variablesReference: this.refFor(x, `${path}/${k}`), presentationHint: this.hint(`${path}/${k}`, text) };
      });
    return [];
  }
}

function ids(name: string, id: number): string {
  return name.startsWith('folio#') ? name : `${name} (#${id})`;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function vmaText(v: VmaInfo): string {
  const ptes = v.pmds.reduce((n, p) => n + p.ptes.length, 0);
  return `${v.desc}, ${(v.end - v.start) / 1024}K, ${v.pmds.length} PMD${v.pmds.length === 1 ? '' : 's'}, ${ptes} PTE${ptes === 1 ? '' : 's'}`;
}

function pmdText(p: PmdInfo): string {
  if (p.state === 'table') {
    const present = p.ptes.filter((e) => e.state === 'present').length;
    const mig = p.ptes.filter((e) => e.state.startsWith('migration')).length;
    return `table: ${p.ptes.length} PTEs (${present} present${mig ? `, ${mig} migration` : ''})`;
  }
  return `${p.state}${p.pfn !== undefined ? ` pfn ${hex(p.pfn)}` : ''}${p.folio ? ` (${p.folio})` : ''}${p.bits.length ? ` ${p.bits.join(' ')}` : ''}`;
}
