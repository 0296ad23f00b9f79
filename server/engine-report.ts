// What an engine run in the editor produces, as plain data that crosses the
// worker boundary: hints per line, failed expectations, the run's error, and
// the `migtrace run` text for the output channel. Computed here (pure, in the
// worker) so the language server's thread only maps lines to positions.

import { parse } from '../scenario';
import { run, type RunResult } from '../engine';
import { folioFates, folioFateText, mappingPages, mappingPagesText, opSummaryText } from '../engine/summary';
import { formatText, diffRuns } from '../engine/report';

export interface LineHint {
  line: number;
  label: string;
  kind: 'operation' | 'folio' | 'mapping' | 'expect' | 'budget';
}

export interface EngineReport {
  profile: string;
  hints: LineHint[];
  failedExpects: { line: number; startChar: number; endChar: number; expected: string; actual: string; message: string }[];
  /** a run error (invariant violation, bad input); `budget` when it ran out of time or events */
  error?: { line: number; message: string; budget: boolean };
  /** the `migtrace run` text */
  text: string;
  events: number;
  ms: number;
}

export interface RunJob {
  text: string;
  /** the profile when the scenario has no `kernel` line */
  defaultProfile?: string;
  deadlineMs: number;
  maxEvents: number;
  file: string;
}

const BUDGET = /exceeded its (time )?budget/;

function hasKernelLine(r: ReturnType<typeof parse>): boolean {
  return r.scenario.statements.some((s) => s.kind === 'kernel');
}

export function runReport(job: RunJob): EngineReport {
  const t0 = Date.now();
  const parsed = parse(job.text);
  const profile = hasKernelLine(parsed) ? undefined : job.defaultProfile;
  const r = run(parsed.scenario, { profile, deadlineMs: job.deadlineMs, maxEvents: job.maxEvents });
  return reportOf(r, parsed.scenario.statements, job, Date.now() - t0);
}

function reportOf(r: RunResult, statements: ReturnType<typeof parse>['scenario']['statements'], job: RunJob, ms: number): EngineReport {
  const hints: LineHint[] = [];
  const folioLines = new Map<string, number>();
  for (const s of statements) if (s.kind === 'folio' && s.name) folioLines.set(s.name.text, s.range.start.line);
  const perFolio = new Map<string, string[]>();
  for (const op of r.ops) {
    const fates = folioFates(r, op);
    hints.push({ line: op.line, label: opSummaryText(r, op, fates), kind: 'operation' });
    for (const f of fates) {
      const l = perFolio.get(f.folio) ?? [];
      l.push(`${r.ops.length > 1 ? `line ${op.line + 1}: ` : ''}${folioFateText(f)}`);
      perFolio.set(f.folio, l);
    }
  }
  for (const [name, texts] of perFolio) {
    const line = folioLines.get(name);
    if (line !== undefined) hints.push({ line, label: texts.join(' ; '), kind: 'folio' });
  }
  // after each mmap line, where its pages are once the scenario has run
  if (r.ops.length && !r.error) {
    for (const s of statements) {
      const proc = s.kind === 'process' ? s.name?.text : s.kind === 'in' ? s.process?.text : undefined;
      if (proc === undefined || (s.kind !== 'process' && s.kind !== 'in')) continue;
      for (const u of s.body) {
        if (u.kind !== 'mmap' || !u.name) continue;
        const m = mappingPages(r.state, proc, u.name.text);
        if (m) hints.push({ line: u.range.start.line, label: `now ${mappingPagesText(m)}`, kind: 'mapping' });
      }
    }
  }
  const failedExpects: EngineReport['failedExpects'] = [];
  for (const e of r.expects) {
    if (e.ok) hints.push({ line: e.range.start.line, label: '✓', kind: 'expect' });
    else failedExpects.push({ line: e.range.start.line, startChar: e.range.start.character, endChar: e.range.end.line === e.range.start.line ? e.range.end.character : e.range.start.character + 1, expected: e.expected, actual: e.actual, message: e.message });
  }
  let error: EngineReport['error'];
  if (r.error) {
    const budget = BUDGET.test(r.error.message);
    error = { line: r.error.line, message: r.error.message, budget };
    if (budget) hints.push({ line: r.error.line, label: budgetLabel(job), kind: 'budget' });
  }
  return { profile: r.profile, hints, failedExpects, error, text: formatText(job.file, r), events: r.trace.n, ms };
}

export function budgetLabel(job: Pick<RunJob, 'deadlineMs' | 'maxEvents'>): string {
  return `⏱ stopped here: the scenario needs more than the editor's budget (${(job.deadlineMs / 1000).toFixed(1)} s, ${job.maxEvents.toLocaleString('en')} events); use ▶ Run or \`migtrace run\``;
}

export interface CompareJob {
  text: string;
  a: string;
  b: string;
  deadlineMs: number;
  maxEvents: number;
  file: string;
}

export interface CompareReport {
  a: string;
  b: string;
  /** `file:line: what: A x | B y`, as `migtrace diff` prints them */
  lines: string[];
  /** 0-based lines where the two runs differ */
  differing: number[];
  text: string;
}

export function compareReport(job: CompareJob): CompareReport {
  const sc = parse(job.text).scenario;
  const ra = run(sc, { profile: job.a, deadlineMs: job.deadlineMs, maxEvents: job.maxEvents });
  const rb = run(sc, { profile: job.b, deadlineMs: job.deadlineMs, maxEvents: job.maxEvents });
  const lines = diffRuns(job.file, ra, rb);
  const differing = new Set<number>();
  const re = new RegExp(`^${job.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):`);
  for (const l of lines) {
    const m = re.exec(l);
    if (m) differing.add(Number(m[1]) - 1);
  }
  const text = lines.length === 0 ? `${job.file}: kernels ${ra.profile} and ${rb.profile} agree\n` : `${lines.join('\n')}\n${lines.length} difference${lines.length > 1 ? 's' : ''} between ${ra.profile} and ${rb.profile}\n`;
  return { a: ra.profile, b: rb.profile, lines, differing: [...differing].sort((x, y) => x - y), text };
}
