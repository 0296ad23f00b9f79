// What one edit costs the language server's analysis of a 10,000-line scenario,
// in-process: the incremental parse, symbol table and check of the new version
// from the previous one (what server/analysis.ts does), against the peer in the
// same run, the same three steps from scratch. Three kinds of edit: a character
// changed inside a line (the edit of bench/lsp-latency.ts), Enter pressed in the
// middle of the document, and Enter on the first line (every segment moves).
// Each edit is made and undone in turn, so every sample is a real change.
//
//   node --expose-gc --import tsx bench/edit-analysis.ts   (BENCH_LINES=10000, BENCH_EDITS=200)

import { performance } from 'node:perf_hooks';
import { check, checkIncremental, collectSymbols, collectSymbolsIncremental, parse, parseIncremental, type CheckResult, type IncrementalParse, type SymbolTable } from '../scenario';
import { genScenario } from './lib/gen-scenario';
import { machineLine, table, writeResult } from './lib/report';
import { ms, summarize, type Summary } from './lib/stats';

const LINES = Number(process.env.BENCH_LINES ?? 10_000);
const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const WARMUP = 20;

interface EditKind {
  label: string;
  /** the text with the edit made (odd samples) or undone (even samples) */
  apply: (text: string, made: boolean) => string;
}

interface Row {
  label: string;
  parse: Summary;
  symbols: Summary;
  check: Summary;
  total: Summary;
  scratch: Summary;
}

function measure(base: string, kind: EditKind): Row {
  let prev: { parsed: IncrementalParse; table: SymbolTable; checked: CheckResult } | undefined;
  const parsed0 = parseIncremental(undefined, base);
  prev = { parsed: parsed0, table: collectSymbols(parsed0.scenario), checked: check(parsed0.scenario) };
  const p: number[] = [];
  const s: number[] = [];
  const c: number[] = [];
  const t: number[] = [];
  const scratch: number[] = [];
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const text = kind.apply(base, i % 2 === 0);
    const t0 = performance.now();
    const parsed = parseIncremental(prev.parsed, text);
    const t1 = performance.now();
    const tbl = collectSymbolsIncremental(prev.table, parsed.scenario);
    const t2 = performance.now();
    const checked = checkIncremental(prev.checked, parsed.scenario);
    const t3 = performance.now();
    prev = { parsed, table: tbl, checked };
    // the peer: the same text from scratch
    const u0 = performance.now();
    const full = parse(text);
    collectSymbols(full.scenario);
    const fullCheck = check(full.scenario);
    const u1 = performance.now();
    if (fullCheck.diagnostics.length !== checked.diagnostics.length) throw new Error(`${kind.label}: the incremental check found ${checked.diagnostics.length} diagnostics, from scratch ${fullCheck.diagnostics.length}`);
    if (i < WARMUP) continue;
    p.push(t1 - t0);
    s.push(t2 - t1);
    c.push(t3 - t2);
    t.push(t3 - t0);
    scratch.push(u1 - u0);
  }
  return { label: kind.label, parse: summarize(p), symbols: summarize(s), check: summarize(c), total: summarize(t), scratch: summarize(scratch) };
}

function main(): void {
  const g = genScenario({ lines: LINES });
  const base = g.text;
  const { line, character, original, broken } = g.edit;
  const lines = base.split('\n');
  const mid = base.indexOf('\n', base.length >> 1);
  const kinds: EditKind[] = [
    {
      label: 'a character inside a line',
      apply: (_text, made) => {
        const l = lines.slice();
        l[line] = l[line].slice(0, character) + (made ? broken : original) + l[line].slice(character + 1);
        return l.join('\n');
      },
    },
    { label: 'Enter in the middle', apply: (text, made) => (made ? text.slice(0, mid) + '\n' + text.slice(mid) : text) },
    { label: 'Enter on the first line', apply: (text, made) => (made ? '\n' + text : text) },
  ];
  console.log(`edit → analysis (parse + symbols + check), ${LINES.toLocaleString('en')} lines, ${EDITS} edits each (${machineLine()})`);
  const rows = kinds.map((k) => measure(base, k));
  const mm = (x: Summary): string => `${ms(x.median)} / ${ms(x.p99)}`;
  console.log(
    table(
      ['edit (ms, median / p99)', 'parse', 'symbols', 'check', 'incremental total', 'from scratch (peer)'],
      rows.map((r) => [r.label, mm(r.parse), mm(r.symbols), mm(r.check), mm(r.total), mm(r.scratch)]),
    ),
  );
  console.log(`figures written to ${writeResult('edit-analysis', { lines: LINES, edits: EDITS, rows })}`);
}

main();
