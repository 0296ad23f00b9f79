// Recursive-descent parser with per-line error recovery. The language is
// line-oriented, so every line is parsed on its own: a bad line becomes an
// ErrorStmt (or a partial node) and the next line starts afresh. Indentation
// only decides where a line belongs (a process body, or the expect lines of
// an operation). One pass, no backtracking across lines: linear time.

import type * as A from './ast';
import { lexLine, position, splitLines, tokenRange, unquote, type Token } from './lexer';
import { nearest } from './suggest';
import * as V from './vocab';

export interface ParseResult {
  scenario: A.Scenario;
  diagnostics: A.Diagnostic[];
}

/** Node ids beyond this cannot exist (MAX_NUMNODES with NODES_SHIFT 10). */
const MAX_NODE_RANGE = 1024;

function span(a: Token, b: Token): A.Range {
  return { start: position(a.line, a.start), end: position(b.line, b.end) };
}

function joinRanges(a: A.Range, b: A.Range): A.Range {
  return { start: a.start, end: b.end };
}

type Block =
  | { kind: 'user'; stmt: A.ProcessStmt | A.InStmt }
  | { kind: 'op'; stmt: A.Operation }
  | { kind: 'orphan' };

/** Cursor over one line's tokens, with helpers that report precise diagnostics. */
class Line {
  i = 0;
  constructor(
    readonly toks: Token[],
    readonly diags: A.Diagnostic[],
  ) {}

  peek(k = 0): Token | undefined {
    return this.toks[this.i + k];
  }
  next(): Token | undefined {
    return this.toks[this.i++];
  }
  atEnd(): boolean {
    // Safety net: every option loop asks atEnd() once per round, and every round should
    // consume a token. Should a branch ever fail to, stop the line instead of spinning.
    if (++this.checks > 4 * this.toks.length + 16) {
      if (this.i < this.toks.length) {
        const t = this.toks[this.i];
        this.error(tokenRange(t), 'unexpected-token', `cannot read the line from '${t.text}' on`);
      }
      this.i = this.toks.length;
    }
    return this.i >= this.toks.length;
  }
  private checks = 0;
  last(): Token {
    return this.toks[Math.max(0, Math.min(this.i, this.toks.length) - 1)];
  }
  isWord(text?: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.kind === 'word' && (text === undefined || t.text === text);
  }
  isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return !!t && t.kind === 'punct' && t.text === text;
  }
  eatWord(text: string): Token | undefined {
    if (this.isWord(text)) return this.next();
    return undefined;
  }
  eatPunct(text: string): Token | undefined {
    if (this.isPunct(text)) return this.next();
    return undefined;
  }

  error(range: A.Range, code: string, message: string, data?: A.Diagnostic['data']): void {
    this.diags.push({ range, severity: 'error', code, message, ...(data ? { data } : {}) });
  }

  /** A required argument is absent: the diagnostic sits on the token that needed it. */
  missing(owner: Token, what: string): void {
    const t = this.peek();
    if (t) {
      this.error(tokenRange(t), 'missing-argument', `\`${owner.text}\` needs ${what} here, found '${t.text}'`);
    } else {
      this.error(tokenRange(owner), 'missing-argument', `\`${owner.text}\` needs ${what}`);
    }
  }

  word(t: Token): A.Word {
    return { range: tokenRange(t), text: t.text };
  }

  /** A bare word from a fixed vocabulary (validated by the checker, which knows the suggestions). */
  anyWord(owner: Token, what: string): A.Word | undefined {
    const t = this.peek();
    if (t && t.kind === 'word') return this.word(this.next()!);
    this.missing(owner, what);
    return undefined;
  }

  ident(owner: Token, what: string): A.Ident | undefined {
    const t = this.peek();
    if (t && t.kind === 'word') {
      this.next();
      return { range: tokenRange(t), text: t.text };
    }
    this.missing(owner, what);
    return undefined;
  }

  /** A number, optionally signed (`-1`, `+1`) when allowSign. */
  number(owner: Token, what: string, allowSign = false): A.NumberLit | undefined {
    let t = this.peek();
    let sign: Token | undefined;
    if (allowSign && t && t.kind === 'punct' && (t.text === '-' || t.text === '+') && this.peek(1)?.kind === 'number') {
      sign = t;
      this.next();
      t = this.peek();
    }
    if (t && t.kind === 'number') {
      this.next();
      // A malformed literal was already reported by the lexer pass.
      if (t.value === undefined) return undefined;
      const neg = sign?.text === '-';
      return {
        range: span(sign ?? t, t),
        text: (sign ? sign.text : '') + t.text,
        value: neg ? -t.value : t.value,
      };
    }
    this.missing(owner, what);
    return undefined;
  }

  /** `0`, `0,1`, `0-2,5` (also with spaces after commas). */
  nodeList(owner: Token, what: string): A.NodeList | undefined {
    const first = this.peek();
    if (!first || first.kind !== 'number') {
      this.missing(owner, what);
      return undefined;
    }
    const nodes: A.NumberLit[] = [];
    let lastTok = first;
    while (this.peek()?.kind === 'number') {
      const a = this.next()!;
      lastTok = a;
      if (this.isPunct('-') && this.peek(1)?.kind === 'number') {
        this.next();
        const b = this.next()!;
        lastTok = b;
        if (a.value !== undefined && b.value !== undefined) {
          const range = span(a, b);
          if (b.value < a.value) {
            this.error(range, 'bad-node-range', `node range ${a.text}-${b.text} is empty: the end is below the start`);
          } else if (b.value - a.value >= BigInt(MAX_NODE_RANGE)) {
            this.error(range, 'bad-node-range', `node range ${a.text}-${b.text} is larger than MAX_NUMNODES (${MAX_NODE_RANGE})`);
          } else {
            for (let v = a.value; v <= b.value; v++) nodes.push({ range, text: String(v), value: v });
          }
        }
      } else if (a.value !== undefined) {
        nodes.push({ range: tokenRange(a), text: a.text, value: a.value });
      }
      if (!this.eatPunct(',')) break;
      if (this.peek()?.kind !== 'number') {
        this.missing(this.last(), 'a node number after the comma');
        break;
      }
    }
    return { range: span(first, lastTok), nodes };
  }

  /** `MPOL_MF_MOVE|MPOL_MF_STRICT`, or a raw number. */
  flagSet(owner: Token, what: string): A.FlagSet | undefined {
    const first = this.peek();
    if (first?.kind === 'number') {
      const raw = this.number(owner, what);
      return raw ? { range: raw.range, flags: [], raw } : undefined;
    }
    if (!first || first.kind !== 'word') {
      this.missing(owner, what);
      return undefined;
    }
    const flags: A.Word[] = [this.word(this.next()!)];
    while (this.isPunct('|')) {
      const bar = this.next()!;
      const w = this.anyWord(bar, 'a flag after `|`');
      if (!w) break;
      flags.push(w);
    }
    return { range: joinRanges(flags[0].range, flags[flags.length - 1].range), flags };
  }

  /** `heap`, `heap[8K]`, `heap[0..4K]`, or a raw address `0x1000`. */
  addr(owner: Token, what: string): A.AddrRef | undefined {
    const t = this.peek();
    if (t?.kind === 'number') {
      const start = this.number(owner, what);
      return { range: tokenRange(t), start, whole: false };
    }
    if (!t || t.kind !== 'word') {
      this.missing(owner, what);
      return undefined;
    }
    this.next();
    const mapping: A.Ident = { range: tokenRange(t), text: t.text };
    const open = this.eatPunct('[');
    if (!open) return { range: tokenRange(t), mapping, whole: true };
    const start = this.number(open, 'an offset into the mapping');
    let end: A.NumberLit | undefined;
    const dots = this.eatPunct('..');
    if (dots) end = this.number(dots, 'the end offset of the range');
    const close = this.eatPunct(']');
    if (!close) {
      const at = this.peek();
      this.error(at ? tokenRange(at) : tokenRange(this.last()), 'missing-bracket', `missing ']' to close the address ${t.text}[...]`);
    }
    return { range: span(t, close ?? this.last()), mapping, start, end, whole: false };
  }

  /** Report a word that is not one of this statement's options. Always consumes one token. */
  unknownOption(stmt: string, options: readonly string[]): void {
    const t = this.next()!;
    if (t.kind === 'word') {
      const s = nearest(t.text, options);
      this.error(tokenRange(t), 'unknown-option', `\`${stmt}\` does not take '${t.text}'${s ? `; did you mean '${s}'?` : ''} (it takes: ${options.join(', ')})`, s ? { suggestion: s } : undefined);
      // Its argument, if any, goes with it: one diagnostic per mistake.
      if (this.peek()?.kind === 'number') this.next();
    } else {
      this.error(tokenRange(t), 'unexpected-token', `unexpected '${t.text}' in \`${stmt}\``);
    }
  }

  /** Anything left on the line is an error. */
  end(stmt: string): void {
    if (!this.atEnd()) {
      const t = this.peek()!;
      const lastTok = this.toks[this.toks.length - 1];
      this.error(span(t, lastTok), 'unexpected-token', `unexpected '${t.text}' after the end of \`${stmt}\``);
      this.i = this.toks.length;
    }
  }
}

// ------------------------------------------------------------------ statements

function parseScenario(p: Line, kw: Token, range: A.Range): A.ScenarioStmt {
  const s: A.ScenarioStmt = { kind: 'scenario', range };
  const t = p.peek();
  if (t?.kind === 'string') {
    p.next();
    s.title = unquote(t.text);
    s.titleRange = tokenRange(t);
  } else if (t && t.kind !== 'bad') {
    p.error(span(t, p.toks[p.toks.length - 1]), 'unquoted-title', 'the scenario title is a quoted string: scenario "title"', {
      suggestion: `"${p.toks.slice(p.i).map((x) => x.text).join(' ')}"`,
    });
    p.i = p.toks.length;
  } else if (!t) {
    p.missing(kw, 'a quoted title');
  }
  p.end('scenario');
  return s;
}

function parseKernel(p: Line, kw: Token, range: A.Range, lineText: string): A.KernelStmt {
  const s: A.KernelStmt = { kind: 'kernel', range };
  if (p.atEnd()) {
    p.missing(kw, 'a kernel profile (6.1, 6.3-rc1 or 6.12)');
    return s;
  }
  // A profile name like `6.3-rc1` lexes as several tokens; take the text as written.
  const first = p.peek()!;
  const lastTok = p.toks[p.toks.length - 1];
  s.profile = { range: span(first, lastTok), text: lineText.slice(first.start, lastTok.end) };
  p.i = p.toks.length;
  return s;
}

function parseConfig(p: Line, kw: Token, range: A.Range): A.ConfigStmt {
  const s: A.ConfigStmt = { kind: 'config', range };
  s.option = p.anyWord(kw, `a config option (${V.CONFIG_OPTIONS.join(', ')})`);
  if (s.option) s.value = p.anyWord(kw, 'y or n');
  p.end('config');
  return s;
}

function parseDefaults(p: Line, kw: Token, range: A.Range): A.DefaultsStmt {
  const s: A.DefaultsStmt = { kind: 'defaults', range, key: p.word(kw) };
  s.value = p.number(kw, kw.text === 'pagesize' ? 'a page size (4K)' : 'a PMD size (2M)');
  p.end(kw.text);
  return s;
}

const NODE_OPTIONS = ['memory', 'movable', 'cma', 'hugepages'] as const;
function parseNode(p: Line, kw: Token, range: A.Range): A.NodeStmt {
  const s: A.NodeStmt = { kind: 'node', range };
  s.id = p.number(kw, 'a node id');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && (NODE_OPTIONS as readonly string[]).includes(t.text)) {
      p.next();
      const what = t.text === 'hugepages' ? 'a count of free 2M huge pages' : 'a size (e.g. 1G)';
      const v = p.number(t, what);
      if (t.text === 'memory') s.memory = v;
      else if (t.text === 'movable') s.movable = v;
      else if (t.text === 'cma') s.cma = v;
      else s.hugepages = v;
    } else {
      p.unknownOption('node', NODE_OPTIONS);
    }
  }
  return s;
}

const PROCESS_OPTIONS = ['user', 'nice', 'fork', 'cpu'] as const;
function parseProcess(p: Line, kw: Token, range: A.Range): A.ProcessStmt {
  const s: A.ProcessStmt = { kind: 'process', range, body: [] };
  s.name = p.ident(kw, 'a process name');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && t.text === 'user') {
      p.next();
      const u = p.peek();
      if (u?.kind === 'number') s.user = p.number(t, 'a uid');
      else s.user = p.anyWord(t, 'root, nobody or a uid');
    } else if (t.kind === 'word' && t.text === 'nice') {
      s.capSysNice = p.word(p.next()!);
    } else if (t.kind === 'word' && t.text === 'fork') {
      p.next();
      s.forkOf = p.ident(t, 'the parent process');
    } else if (t.kind === 'word' && t.text === 'cpu') {
      p.next();
      p.eatWord('node');
      s.cpuNode = p.number(t, 'the node the process runs on');
    } else {
      p.unknownOption('process', PROCESS_OPTIONS);
    }
  }
  return s;
}

function parseIn(p: Line, kw: Token, range: A.Range): A.InStmt {
  const s: A.InStmt = { kind: 'in', range, body: [] };
  s.process = p.ident(kw, 'a process name');
  p.end('in');
  return s;
}

const MMAP_OPTIONS = [...V.BACKINGS, ...V.SHARINGS, 'align', 'at', ...V.THP_ADVICE, ...V.PROTS];
function parseMmap(p: Line, kw: Token, range: A.Range): A.MmapStmt {
  const s: A.MmapStmt = { kind: 'mmap', range, prot: [] };
  s.name = p.ident(kw, 'a mapping name');
  const before = p.diags.length;
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'number') {
      const v = p.number(kw, 'a size');
      if (s.size) p.error(tokenRange(t), 'duplicate-option', 'the size is given twice');
      else s.size = v;
      continue;
    }
    if (t.kind !== 'word') {
      p.unknownOption('mmap', MMAP_OPTIONS);
      continue;
    }
    const w = t.text;
    if (V.isIn(V.BACKINGS, w)) s.backing = p.word(p.next()!);
    else if (V.isIn(V.SHARINGS, w)) s.sharing = p.word(p.next()!);
    else if (V.isIn(V.THP_ADVICE, w)) s.thp = p.word(p.next()!);
    else if (V.isIn(V.PROTS, w)) s.prot.push(p.word(p.next()!));
    else if (w === 'align') {
      p.next();
      s.align = p.number(t, 'an alignment (e.g. 2M)');
    } else if (w === 'at') {
      p.next();
      s.at = p.number(t, 'an address (e.g. 0x7f0000000000)');
    } else p.unknownOption('mmap', MMAP_OPTIONS);
  }
  // One diagnostic for everything missing, and none when the name itself is missing or a word was wrong.
  const missing = [!s.backing && 'a backing (anon, file, shmem or hugetlb)', !s.sharing && 'private or shared', !s.size && 'a size (e.g. 2M)'].filter(Boolean);
  if (s.name && missing.length && p.diags.length === before && !p.toks.some((t) => t.error)) {
    p.error(tokenRange(kw), 'missing-argument', `\`mmap\` needs ${missing.join(', ')}`);
  }
  return s;
}

function parseTouch(p: Line, kw: Token, range: A.Range): A.TouchStmt {
  const s: A.TouchStmt = { kind: 'touch', range };
  s.target = p.addr(kw, 'an address (heap, heap[8K] or heap[0..8K])');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && V.isIn(V.ACCESSES, t.text)) s.access = p.word(p.next()!);
    else if (t.kind === 'word' && t.text === 'on') {
      p.next();
      p.eatWord('node');
      s.onNode = p.number(t, 'a node id');
    } else p.unknownOption('touch', ['read', 'write', 'on']);
  }
  return s;
}

function parseTargetOnly<K extends 'munmap' | 'mlock'>(p: Line, kw: Token, range: A.Range, kind: K): A.MunmapStmt | A.MlockStmt {
  const target = p.addr(kw, 'an address (heap, heap[8K] or heap[0..8K])');
  p.end(kind);
  return kind === 'munmap' ? { kind: 'munmap', range, target } : { kind: 'mlock', range, target };
}

function parseMprotect(p: Line, kw: Token, range: A.Range): A.MprotectStmt {
  const s: A.MprotectStmt = { kind: 'mprotect', range, prot: [] };
  s.target = p.addr(kw, 'an address (heap, heap[8K] or heap[0..8K])');
  const before = p.diags.length;
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && V.isIn(V.PROTS, t.text)) s.prot.push(p.word(p.next()!));
    else p.unknownOption('mprotect', V.PROTS);
  }
  if (s.target && s.prot.length === 0 && p.diags.length === before) p.missing(kw, 'a protection (none, read, write, exec)');
  return s;
}

function parseMremap(p: Line, kw: Token, range: A.Range): A.MremapStmt {
  const s: A.MremapStmt = { kind: 'mremap', range };
  s.target = p.addr(kw, 'an address range (heap[0..1M])');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && t.text === 'as') {
      p.next();
      s.newName = p.ident(t, 'a name for the moved mapping');
    } else if (t.kind === 'word' && t.text === 'at') {
      p.next();
      s.at = p.number(t, 'an address');
    } else p.unknownOption('mremap', ['as', 'at']);
  }
  if (s.target && !s.newName) p.missing(kw, '`as NAME` (the name of the moved mapping)');
  return s;
}

function parseMode(p: Line, owner: Token): { mode?: A.Word; modeRaw?: A.NumberLit; modeFlags?: A.Word[] } {
  const t = p.peek();
  if (t?.kind === 'number') return { modeRaw: p.number(owner, 'a memory policy mode') };
  const mode = p.anyWord(owner, 'a memory policy mode (MPOL_BIND, MPOL_PREFERRED, ...)');
  if (!mode || !p.isPunct('|')) return { mode };
  const modeFlags: A.Word[] = [];
  while (p.isPunct('|')) {
    const bar = p.next()!;
    const w = p.anyWord(bar, 'a mode flag (MPOL_F_STATIC_NODES, ...)');
    if (!w) break;
    modeFlags.push(w);
  }
  return { mode, modeFlags };
}

function parsePolicy(p: Line, kw: Token, range: A.Range): A.PolicyStmt {
  const s: A.PolicyStmt = { kind: 'policy', range };
  const m = parseMode(p, kw);
  s.mode = m.mode;
  if (m.modeFlags) s.modeFlags = m.modeFlags;
  if (m.modeRaw) p.error(m.modeRaw.range, 'unknown-mode', 'a policy mode is a name here (MPOL_BIND, ...)');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && t.text === 'nodes') {
      p.next();
      s.nodes = p.nodeList(t, 'a node list (1, 0,1 or 0-2)');
    } else p.unknownOption('policy', ['nodes']);
  }
  return s;
}

const FOLIO_OPTIONS = ['order', 'node', 'refs', 'pins', 'mapped', ...V.FOLIO_KINDS, ...V.FOLIO_FLAGS];
function parseFolio(p: Line, kw: Token, range: A.Range): A.FolioStmt {
  const s: A.FolioStmt = { kind: 'folio', range, flags: [], mapped: [] };
  s.name = p.ident(kw, 'a folio name');
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (w === 'order') {
      p.next();
      s.order = p.number(t, 'an order (0 for a base page, 9 for a 2M THP)');
    } else if (w === 'node') {
      p.next();
      s.node = p.number(t, 'a node id');
    } else if (w === 'refs') {
      p.next();
      s.refs = p.number(t, 'a reference count');
    } else if (w === 'pins') {
      p.next();
      s.pins = p.number(t, 'a pin count');
    } else if (w === 'mapped') {
      p.next();
      const m: A.FolioMapping = { range: tokenRange(t) };
      m.process = p.ident(t, 'the process that maps the folio');
      if (m.process) m.at = p.addr(t, 'an address in that process (heap[0])');
      if (p.isWord('pte') || p.isWord('pmd')) m.level = p.word(p.next()!);
      m.range = joinRanges(tokenRange(t), tokenRange(p.last()));
      s.mapped.push(m);
    } else if (w && V.isIn(V.FOLIO_FLAGS, w)) {
      s.flags.push(p.word(p.next()!));
    } else if (w && V.isIn(V.FOLIO_KINDS, w)) {
      if (s.folioKind) p.error(tokenRange(t), 'duplicate-option', `the folio kind is given twice ('${s.folioKind.text}' and '${w}')`);
      else s.folioKind = p.word(t);
      p.next();
    } else p.unknownOption('folio', FOLIO_OPTIONS);
  }
  return s;
}

const INJECT_OPTIONS = ['held', 'passes', 'pass', 'fails', 'always', 'after', 'on', 'node', 'with', 'returns', 'once', 'at', 'bad', 'unreleasable'];
function parseInject(p: Line, kw: Token, range: A.Range): A.InjectStmt {
  const s: A.InjectStmt = { kind: 'inject', range, once: false };
  const f = p.peek();
  if (!f || f.kind !== 'word') {
    p.missing(kw, `a fault (${V.INJECT_FAULTS.join(', ')})`);
    return s;
  }
  s.fault = p.word(p.next()!);
  if (V.isIn(V.FOLIO_FAULTS, f.text)) {
    s.folio = p.ident(f, 'the folio it applies to');
  } else if (f.text === 'pmd') {
    s.process = p.ident(f, 'a process');
    if (s.process) s.at = p.addr(f, 'an address (heap[0])');
  } else if (!V.isIn(V.INJECT_FAULTS, f.text)) {
    const sug = nearest(f.text, V.INJECT_FAULTS);
    p.error(tokenRange(f), 'unknown-fault', `unknown fault '${f.text}'${sug ? `; did you mean '${sug}'?` : ''} (faults: ${V.INJECT_FAULTS.join(', ')})`, sug ? { suggestion: sug } : undefined);
    p.i = p.toks.length;
    return s;
  }
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'number' || (t.kind === 'punct' && (t.text === '+' || t.text === '-') && p.peek(1)?.kind === 'number')) {
      s.amount = p.number(t, 'an amount (+1)', true);
      continue;
    }
    const w = t.kind === 'word' ? t.text : '';
    switch (w) {
      case 'held':
      case 'fails':
      case 'bad':
      case 'unreleasable':
        p.next();
        break;
      case 'once':
        p.next();
        s.once = true;
        break;
      case 'passes':
      case 'pass': {
        p.next();
        const from = p.number(t, 'a pass number or range (0..4)');
        const pr: A.PassRange = { range: tokenRange(t), from, to: from };
        const dots = p.eatPunct('..');
        if (dots) pr.to = p.number(dots, 'the last pass of the range');
        pr.range = joinRanges(tokenRange(t), tokenRange(p.last()));
        s.passes = pr;
        break;
      }
      case 'always':
        p.next();
        s.allocMode = p.word(t);
        break;
      case 'after':
        p.next();
        s.allocMode = p.word(t);
        s.allocArg = p.number(t, 'how many allocations succeed first');
        break;
      case 'on':
      case 'node': {
        p.next();
        if (w === 'on') p.eatWord('node');
        const n = p.number(t, 'a node id');
        s.allocNode = n;
        if (w === 'on' && !s.allocMode) {
          s.allocMode = p.word(t);
          s.allocArg = n;
        }
        break;
      }
      case 'with':
      case 'returns': {
        p.next();
        const r = p.peek();
        if (r?.kind === 'number') {
          p.next();
          s.result = { range: tokenRange(r), text: r.text };
        } else {
          if (r?.kind === 'punct' && r.text === '-') p.next();
          s.result = p.anyWord(t, 'a result (EAGAIN, EBUSY or 0)');
        }
        break;
      }
      case 'at':
        p.next();
        s.process = p.ident(t, 'a process');
        if (s.process) s.at = p.addr(t, 'an address (heap[0])');
        break;
      default:
        p.unknownOption(`inject ${f.text}`, INJECT_OPTIONS);
    }
  }
  return s;
}

// ------------------------------------------------------------------ operations


function parseTarget(p: Line, kw: Token): A.Target | undefined {
  const t = p.peek();
  if (t?.kind === 'word' && t.text === 'pid') {
    p.next();
    const pid = p.number(t, 'a pid', true);
    return { range: span(t, p.last()), pid };
  }
  const process = p.ident(kw, 'a process name (or pid N)');
  return process ? { range: process.range, process } : undefined;
}

function parseBy(p: Line, t: Token): A.Ident | undefined {
  p.next();
  return p.ident(t, 'the calling process');
}

function parseMigratePages(p: Line, kw: Token, range: A.Range): A.MigratePagesSyscall | A.MigratePagesInternal {
  if (p.isPunct('[')) {
    const open = p.next()!;
    const s: A.MigratePagesInternal = { kind: 'migrate_pages_internal', range, headRange: range, expects: [], folios: [] };
    while (!p.atEnd() && !p.isPunct(']')) {
      const id = p.ident(open, 'a folio name');
      if (!id) {
        p.next();
        continue;
      }
      s.folios.push(id);
      if (!p.eatPunct(',') && !p.isPunct(']')) break;
    }
    if (!p.eatPunct(']')) p.error(tokenRange(p.peek() ?? p.last()), 'missing-bracket', "missing ']' to close the folio list");
    const options = ['to', 'mode', 'reason', 'memalloc'];
    while (!p.atEnd()) {
      const t = p.peek()!;
      const w = t.kind === 'word' ? t.text : '';
      if (w === 'to') {
        p.next();
        p.eatWord('node');
        s.node = p.number(t, 'the target node');
      } else if (w === 'mode') {
        p.next();
        s.mode = p.anyWord(t, 'a migrate mode (MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC)');
      } else if (w === 'reason') {
        p.next();
        s.reason = p.anyWord(t, 'a migrate reason (MR_COMPACTION, MR_SYSCALL, ...)');
      } else if (w === 'memalloc') {
        s.memalloc = p.word(p.next()!);
      } else p.unknownOption('migrate_pages [...]', options);
    }
    return s;
  }
  const s: A.MigratePagesSyscall = { kind: 'migrate_pages_syscall', range, headRange: range, expects: [] };
  s.target = parseTarget(p, kw);
  const options = ['from', 'to', 'maxnode', 'by'];
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (w === 'from') {
      p.next();
      s.from = p.nodeList(t, 'the old nodes (0 or 0,1)');
    } else if (w === 'to') {
      p.next();
      s.to = p.nodeList(t, 'the new nodes (1 or 1,2)');
    } else if (w === 'maxnode') {
      p.next();
      s.maxnode = p.number(t, 'a maxnode value');
    } else if (w === 'by') s.by = parseBy(p, t);
    else p.unknownOption('migrate_pages', options);
  }
  if (s.target && !s.from) p.missing(kw, '`from NODES`');
  else if (s.target && !s.to && s.from) p.missing(kw, '`to NODES`');
  return s;
}

function parseMovePages(p: Line, kw: Token, range: A.Range): A.MovePagesOp {
  const s: A.MovePagesOp = { kind: 'move_pages', range, headRange: range, expects: [], pages: [] };
  s.target = parseTarget(p, kw);
  const options = ['pages', 'nodes', 'flags', 'by'];
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (w === 'pages') {
      p.next();
      do {
        const a = p.addr(t, 'a page address (heap[0])');
        if (!a) break;
        s.pages.push(a);
      } while (p.eatPunct(','));
    } else if (w === 'nodes') {
      p.next();
      s.nodes = [];
      do {
        const n = p.number(t, 'a node for each page', true);
        if (!n) break;
        s.nodes.push(n);
      } while (p.eatPunct(','));
    } else if (w === 'flags') {
      p.next();
      s.flags = p.flagSet(t, 'flags (MPOL_MF_MOVE or MPOL_MF_MOVE_ALL)');
    } else if (w === 'by') s.by = parseBy(p, t);
    else p.unknownOption('move_pages', options);
  }
  if (s.target && s.pages.length === 0) p.missing(kw, '`pages ADDR, ADDR...`');
  return s;
}

function parseMbind(p: Line, kw: Token, range: A.Range): A.MbindOp {
  const s: A.MbindOp = { kind: 'mbind', range, headRange: range, expects: [] };
  s.process = p.ident(kw, 'a process name');
  if (s.process) s.addr = p.addr(kw, 'an address range (heap[0..2M])');
  if (s.addr) {
    const m = parseMode(p, kw);
    Object.assign(s, m);
  }
  const options = ['nodes', 'flags', 'by'];
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (w === 'nodes') {
      p.next();
      s.nodes = p.nodeList(t, 'a node list (1, 0,1 or 0-2)');
    } else if (w === 'flags') {
      p.next();
      s.flags = p.flagSet(t, 'flags (MPOL_MF_MOVE|MPOL_MF_STRICT)');
    } else if (w === 'by') s.by = parseBy(p, t);
    else p.unknownOption('mbind', options);
  }
  return s;
}

function parsePin(p: Line, kw: Token, range: A.Range): A.PinOp {
  const s: A.PinOp = { kind: 'pin', range, headRange: range, expects: [] };
  s.process = p.ident(kw, 'a process name');
  if (s.process) s.addr = p.addr(kw, 'an address range (heap[0..8K])');
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (V.isIn(V.PIN_KINDS, w)) s.pinKind = p.word(p.next()!);
    else if (w === 'retries') {
      p.next();
      s.retries = p.number(t, 'a retry bound');
    } else if (w === 'by') s.by = parseBy(p, t);
    else p.unknownOption('pin', ['longterm', 'ref', 'retries', 'by']);
  }
  if (s.addr && !s.pinKind) p.missing(kw, '`longterm` (FOLL_LONGTERM, io_uring) or `ref` (a plain reference, vmsplice)');
  return s;
}

function parseMigrateVma(p: Line, kw: Token, range: A.Range): A.MigrateVmaOp {
  const s: A.MigrateVmaOp = { kind: 'migrate_vma', range, headRange: range, expects: [], select: [] };
  s.process = p.ident(kw, 'a process name');
  if (s.process) s.addr = p.addr(kw, 'an address range (heap[0..64K])');
  while (!p.atEnd()) {
    const t = p.peek()!;
    const w = t.kind === 'word' ? t.text : '';
    if (w === 'select') {
      p.next();
      const first = p.anyWord(t, 'system, device_private or device_coherent');
      if (first) s.select.push(first);
      while (p.isPunct('|') || p.isPunct(',')) {
        const bar = p.next()!;
        const x = p.anyWord(bar, 'system, device_private or device_coherent');
        if (!x) break;
        s.select.push(x);
      }
    } else if (w === 'fault_page') {
      p.next();
      s.faultPage = p.addr(t, 'the faulting page (heap[4K])');
    } else if (w === 'by') s.by = parseBy(p, t);
    else p.unknownOption('migrate_vma', ['select', 'fault_page', 'by']);
  }
  return s;
}

function parseNumaFault(p: Line, kw: Token, range: A.Range): A.NumaFaultOp {
  const s: A.NumaFaultOp = { kind: 'numa_fault', range, headRange: range, expects: [] };
  s.process = p.ident(kw, 'a process name');
  if (s.process) s.at = p.addr(kw, 'the faulting address (heap[0])');
  while (!p.atEnd()) {
    const t = p.peek()!;
    if (t.kind === 'word' && t.text === 'to') {
      p.next();
      p.eatWord('node');
      s.node = p.number(t, 'the node the task runs on');
    } else p.unknownOption('numa_fault', ['to']);
  }
  if (s.at && !s.node) p.missing(kw, '`to node N`');
  return s;
}

// ------------------------------------------------------------------ expectations

function parseExpect(p: Line, kw: Token, range: A.Range): A.Expect {
  const k = p.peek();
  if (!k || k.kind !== 'word') {
    p.missing(kw, `what to expect (${['return', 'status', 'page', 'vmstat', 'stats', 'event', 'folio', ...V.COUNT_NAMES].join(', ')})`);
    p.i = p.toks.length;
    return { kind: 'error', range, message: 'incomplete expect' };
  }
  p.next();
  switch (k.text) {
    case 'return': {
      const s: A.ExpectReturn = { kind: 'expect_return', range };
      const t = p.peek();
      if (t?.kind === 'word' || (t?.kind === 'punct' && t.text === '-' && p.peek(1)?.kind === 'word')) {
        if (t.kind === 'punct') p.next();
        s.errno = p.word(p.next()!);
      } else s.value = p.number(k, 'a return value (0, 3 or -EIO)', true);
      p.end('expect return');
      return s;
    }
    case 'status': {
      const s: A.ExpectStatus = { kind: 'expect_status', range, entries: [] };
      const open = p.eatPunct('[');
      while (!p.atEnd() && !p.isPunct(']')) {
        const t = p.peek()!;
        if (t.kind === 'word' && t.text === 'unwritten') {
          p.next();
          s.entries.push({ range: tokenRange(t), unwritten: true });
        } else if (t.kind === 'word' || (t.kind === 'punct' && t.text === '-' && p.peek(1)?.kind === 'word')) {
          if (t.kind === 'punct') p.next();
          const w = p.next()!;
          s.entries.push({ range: span(t, w), errno: p.word(w), unwritten: false });
        } else {
          const n = p.number(k, 'a node, -ERRNO or unwritten', true);
          if (!n) {
            if (!p.atEnd() && p.peek()!.kind !== 'number') p.next();
            continue;
          }
          s.entries.push({ range: n.range, node: n, unwritten: false });
        }
        if (!p.eatPunct(',')) break;
      }
      if (open && !p.eatPunct(']')) p.error(tokenRange(p.peek() ?? p.last()), 'missing-bracket', "missing ']' to close the status list");
      p.end('expect status');
      return s;
    }
    case 'page': {
      const s: A.ExpectPage = { kind: 'expect_page', range, unmapped: false };
      s.process = p.ident(k, 'a process name');
      if (s.process) s.at = p.addr(k, 'a page address (heap[8K])');
      if (s.at) {
        if (p.eatWord('unmapped')) s.unmapped = true;
        else {
          const on = p.eatWord('on');
          if (on) {
            p.eatWord('node');
            s.node = p.number(on, 'a node id');
          } else p.missing(k, '`on node N` or `unmapped`');
        }
      }
      p.end('expect page');
      return s;
    }
    case 'vmstat':
    case 'stats': {
      const field = p.anyWord(k, k.text === 'vmstat' ? 'a vmstat counter (pgmigrate_success, ...)' : 'a stats field (nr_succeeded, ...)');
      const value = field ? p.number(k, 'the expected value') : undefined;
      p.end(`expect ${k.text}`);
      return k.text === 'vmstat' ? { kind: 'expect_vmstat', range, counter: field, value } : { kind: 'expect_stats', range, field, value };
    }
    case 'no':
    case 'event': {
      const negated = k.text === 'no';
      if (negated && !p.eatWord('event')) {
        p.missing(k, '`event`');
        p.i = p.toks.length;
      }
      const s: A.ExpectEvent = { kind: 'expect_event', range, negated };
      if (p.atEnd() && !negated) p.missing(k, 'an event name (MIGRATEPAGE_UNMAP, EAGAIN, ...)');
      else if (!p.atEnd()) s.event = p.anyWord(k, 'an event name (MIGRATEPAGE_UNMAP, EAGAIN, ...)');
      while (!p.atEnd()) {
        const t = p.peek()!;
        const w = t.kind === 'word' ? t.text : '';
        if (w === 'on') {
          p.next();
          s.folio = p.ident(t, 'a folio name');
        } else if (w === 'pass') {
          p.next();
          s.pass = p.number(t, 'a pass number');
        } else if (w === 'count') {
          p.next();
          s.count = p.number(t, 'how many times');
        } else p.unknownOption('expect event', ['on', 'pass', 'count']);
      }
      return s;
    }
    case 'folio': {
      const s: A.ExpectFolio = { kind: 'expect_folio', range };
      s.folio = p.ident(k, 'a folio name');
      if (s.folio) {
        const t = p.peek();
        if (t?.kind === 'word' && t.text === 'on') {
          p.next();
          s.where = p.anyWord(t, `a place (${V.FOLIO_PLACES.join(', ')})`);
        } else if (t?.kind === 'word' && t.text === 'node') {
          p.next();
          s.node = p.number(t, 'a node id');
        } else p.missing(k, '`on LIST` or `node N`');
      }
      p.end('expect folio');
      return s;
    }
    default:
      if (V.isIn(V.COUNT_NAMES, k.text)) {
        const s: A.ExpectCount = { kind: 'expect_count', range, what: p.word(k) };
        s.value = p.number(k, 'the expected value');
        p.end(`expect ${k.text}`);
        return s;
      } else {
        const kinds = [...V.EXPECT_KINDS];
        const sug = nearest(k.text, kinds);
        p.error(tokenRange(k), 'unknown-expectation', `unknown expectation '${k.text}'${sug ? `; did you mean '${sug}'?` : ''} (expect ${kinds.join(', ')})`, sug ? { suggestion: sug } : undefined);
        p.i = p.toks.length;
        return { kind: 'error', range, message: `unknown expectation '${k.text}'` };
      }
  }
}

// ------------------------------------------------------------------ lines

function parseUser(p: Line, kw: Token, range: A.Range): A.UserStmt {
  switch (kw.text) {
    case 'mmap':
      return parseMmap(p, kw, range);
    case 'touch':
      return parseTouch(p, kw, range);
    case 'munmap':
      return parseTargetOnly(p, kw, range, 'munmap');
    case 'mlock':
      return parseTargetOnly(p, kw, range, 'mlock');
    case 'mprotect':
      return parseMprotect(p, kw, range);
    case 'mremap':
      return parseMremap(p, kw, range);
    case 'policy':
      return parsePolicy(p, kw, range);
  }
  return { kind: 'error', range, message: `not a process statement: ${kw.text}` };
}

function errorStmt(range: A.Range, message: string): A.ErrorStmt {
  return { kind: 'error', range, message };
}

type TopResult = { stmt: A.Statement; block?: Block };

function parseTop(p: Line, kw: Token, range: A.Range, lineText: string): TopResult | undefined {
  switch (kw.text) {
    case 'scenario':
      return { stmt: parseScenario(p, kw, range) };
    case 'kernel':
      return { stmt: parseKernel(p, kw, range, lineText) };
    case 'config':
      return { stmt: parseConfig(p, kw, range) };
    case 'pagesize':
    case 'pmdsize':
      return { stmt: parseDefaults(p, kw, range) };
    case 'node':
      return { stmt: parseNode(p, kw, range) };
    case 'process': {
      const s = parseProcess(p, kw, range);
      return { stmt: s, block: { kind: 'user', stmt: s } };
    }
    case 'in': {
      const s = parseIn(p, kw, range);
      return { stmt: s, block: { kind: 'user', stmt: s } };
    }
    case 'folio':
      return { stmt: parseFolio(p, kw, range) };
    case 'inject':
      return { stmt: parseInject(p, kw, range) };
  }
  let op: A.Operation | undefined;
  switch (kw.text) {
    case 'migrate_pages':
      op = parseMigratePages(p, kw, range);
      break;
    case 'move_pages':
      op = parseMovePages(p, kw, range);
      break;
    case 'mbind':
      op = parseMbind(p, kw, range);
      break;
    case 'pin':
      op = parsePin(p, kw, range);
      break;
    case 'migrate_vma':
      op = parseMigrateVma(p, kw, range);
      break;
    case 'numa_fault':
      op = parseNumaFault(p, kw, range);
      break;
  }
  return op ? { stmt: op, block: { kind: 'op', stmt: op } } : undefined;
}

function extend(stmt: { range: A.Range }, r: A.Range): void {
  stmt.range = { start: stmt.range.start, end: r.end };
}

/** Parse a whole scenario. Never throws; every problem becomes a diagnostic. */
export function parse(text: string): ParseResult {
  const lines = splitLines(text);
  return parseLines(lines, 0, lines.length);
}

/**
 * Parse lines [from, to) of a document as if they began it: the only state carried from
 * line to line is the open block, which every unindented line other than `expect` resets,
 * so a run of lines starting at such a line parses the same alone as inside the document
 * (scenario/incremental.ts relies on this).
 */
export function parseLines(lines: readonly string[], from: number, to: number): ParseResult {
  const diagnostics: A.Diagnostic[] = [];
  const statements: A.Statement[] = [];
  const comments: A.Range[] = [];
  let block: Block | undefined;
  for (let ln = from; ln < to; ln++) {
    const lx = lexLine(lines[ln], ln);
    if (lx.comment) comments.push(lx.comment);
    const toks = lx.tokens;
    if (toks.length === 0) continue;
    const range = span(toks[0], toks[toks.length - 1]);
    let lexBad = false;
    for (const t of toks) {
      if (t.error) {
        diagnostics.push({ range: tokenRange(t), severity: 'error', code: t.kind === 'number' ? (t.tooLarge ? 'number-too-large' : 'bad-number') : 'bad-token', message: t.error });
        if (t.kind === 'bad') lexBad = true;
      }
    }
    const kw = toks[0];
    const p = new Line(toks, diagnostics);
    const indented = lx.indent > 0;

    if (lexBad || kw.kind !== 'word') {
      // The line cannot be read; keep its place in the tree so ranges stay right.
      if (!lexBad) p.error(tokenRange(kw), 'unexpected-token', `a line starts with a keyword, not '${kw.text}'`);
      const e = errorStmt(range, lexBad ? 'unreadable line' : `unexpected '${kw.text}'`);
      if (indented && block?.kind === 'user') {
        block.stmt.body.push(e);
        extend(block.stmt, range);
      } else if (indented && block?.kind === 'op') {
        block.stmt.expects.push(e);
        extend(block.stmt, range);
      } else if (!indented || !block) {
        statements.push(e);
        if (!indented) block = { kind: 'orphan' };
      }
      continue;
    }

    p.next();
    if (indented) {
      if (kw.text === 'expect') {
        const e = parseExpect(p, kw, range);
        if (block?.kind === 'op') {
          block.stmt.expects.push(e);
          extend(block.stmt, range);
        } else if (block?.kind !== 'orphan') {
          p.error(tokenRange(kw), 'misplaced-expect', 'an expect line belongs under an operation (migrate_pages, move_pages, mbind, pin, migrate_vma, numa_fault)');
          statements.push(errorStmt(range, 'misplaced expect'));
        }
      } else if (block?.kind === 'user') {
        let s: A.UserStmt;
        if (V.isIn(V.USER_KEYWORDS, kw.text)) s = parseUser(p, kw, range);
        else {
          const sug = nearest(kw.text, V.USER_KEYWORDS);
          const why = V.isIn(V.TOP_KEYWORDS, kw.text) ? `; \`${kw.text}\` is a top-level statement: remove the indentation` : '';
          p.error(tokenRange(kw), 'unknown-keyword', `'${kw.text}' is not a process statement${sug && !why ? `; did you mean '${sug}'?` : why} (process statements: ${V.USER_KEYWORDS.join(', ')})`, sug && !why ? { suggestion: sug } : undefined);
          s = errorStmt(range, `unknown statement '${kw.text}'`);
        }
        block.stmt.body.push(s);
        extend(block.stmt, range);
      } else if (block?.kind === 'op') {
        p.error(tokenRange(kw), 'unexpected-indent', `only expect lines are indented under an operation; '${kw.text}' is not one`);
        block.stmt.expects.push(errorStmt(range, `unexpected '${kw.text}'`));
        extend(block.stmt, range);
      } else if (block?.kind === 'orphan') {
        // The block head was unreadable and already reported; still check statements we know.
        if (V.isIn(V.USER_KEYWORDS, kw.text)) parseUser(p, kw, range);
      } else {
        p.error(tokenRange(kw), 'unexpected-indent', 'indented line outside a block: only process/in bodies and expect lines are indented');
        statements.push(errorStmt(range, 'unexpected indentation'));
      }
      continue;
    }

    // Top level.
    if (kw.text === 'expect') {
      const e = parseExpect(p, kw, range);
      p.error(tokenRange(kw), 'expect-not-indented', 'indent expect lines under their operation');
      if (block?.kind === 'op') {
        block.stmt.expects.push(e);
        extend(block.stmt, range);
      } else statements.push(errorStmt(range, 'misplaced expect'));
      continue;
    }
    block = undefined;
    if (V.isIn(V.USER_KEYWORDS, kw.text)) {
      parseUser(p, kw, range);
      p.error(tokenRange(kw), 'statement-outside-process', `\`${kw.text}\` belongs in a process block: indent it under \`process NAME\` or \`in NAME\``);
      statements.push(errorStmt(range, `${kw.text} outside a process`));
      continue;
    }
    const r = parseTop(p, kw, range, lx.text);
    if (r) {
      statements.push(r.stmt);
      block = r.block;
      continue;
    }
    const sug = nearest(kw.text, [...V.TOP_KEYWORDS, ...V.USER_KEYWORDS]);
    p.error(tokenRange(kw), 'unknown-keyword', `unknown keyword '${kw.text}'${sug ? `; did you mean '${sug}'?` : ''}`, sug ? { suggestion: sug } : undefined);
    statements.push(errorStmt(range, `unknown keyword '${kw.text}'`));
    block = { kind: 'orphan' };
  }
  return { scenario: { statements, comments }, diagnostics };
}
