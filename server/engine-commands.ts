// The requests behind the client's code lenses: run a scenario (the output
// channel text), compare two kernel profiles (a `migtrace diff` report), what
// the lenses should offer (operation lines, realizability), and the parity
// harness on the current text. The client stays thin: it never loads the engine.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError, ErrorCodes } from 'vscode-languageserver';
import type { ServerContext } from './serverContext';
import type { EngineResults } from './engine-results';
import { fileName } from './engine-results';
import type { CompareReport, EngineReport, RunJob } from './engine-report';
import { realize } from '../engine/realize';

export interface UriParams {
  uri: string;
}
export interface CompareParams extends UriParams {
  a?: string;
  b?: string;
}
export interface LensInfo {
  /** 0-based line of the `scenario` line (or 0) */
  scenarioLine: number;
  operations: number[];
  realizable: { ok: true } | { ok: false; line: number; reason: string };
  /** no lenses when the text has errors */
  errors: boolean;
}
export interface ParityDifference {
  line: number;
  message: string;
}
export interface ParityAnswer {
  status: 'match' | 'differ' | 'refused' | 'error';
  reason?: string;
  differences: ParityDifference[];
  text: string;
}

/** ▶ Run may take much longer than the hints' budget: the user asked for it. */
const RUN_DEADLINE_MS = 120_000;
const OP_KINDS = new Set(['migrate_pages_syscall', 'move_pages', 'mbind', 'pin', 'migrate_vma', 'numa_fault', 'migrate_pages_internal']);

export function registerEngineCommands(ctx: ServerContext, engine: EngineResults): void {
  const analysis = (uri: string) => {
    const a = ctx.analysis(uri);
    if (!a) throw new ResponseError(ErrorCodes.InvalidParams, `${uri} is not open`);
    return a;
  };

  ctx.connection.onRequest('migtrace/run', async (p: UriParams): Promise<EngineReport> => {
    const a = analysis(p.uri);
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new ResponseError(ErrorCodes.InvalidParams, `${fileName(p.uri)}:${errors[0].range.start.line + 1}: ${errors[0].message}`);
    const { defaultProfile } = await engine.getSettings();
    const job: RunJob = { text: a.text, defaultProfile, deadlineMs: RUN_DEADLINE_MS, maxEvents: 20_000_000, file: fileName(p.uri) };
    const report = await engine.runner.submit<EngineReport>(`${p.uri}#run`, { kind: 'run', job }, RUN_DEADLINE_MS + 5000);
    await engine.adopt(p.uri, a.text, report);
    return report;
  });

  ctx.connection.onRequest('migtrace/compare', async (p: CompareParams): Promise<CompareReport | null> => {
    return (await engine.compare(p.uri, p.a ?? '6.1', p.b ?? '6.12')) ?? null;
  });

  ctx.connection.onRequest('migtrace/lensInfo', (p: UriParams): LensInfo => {
    const a = analysis(p.uri);
    const sc = a.parsed.scenario;
    const first = sc.statements.find((s) => s.kind === 'scenario');
    const errors = a.diagnostics.some((d) => d.severity === 'error');
    let realizable: LensInfo['realizable'];
    try {
      const r = errors ? { ok: false as const, line: 0, message: 'the scenario has errors' } : realize(sc, fileName(p.uri));
      realizable = r.ok ? { ok: true } : { ok: false, line: r.line, reason: r.message };
    } catch (e) {
      realizable = { ok: false, line: 0, reason: `cannot realize: ${(e as Error).message}` };
    }
    return {
      scenarioLine: first ? first.range.start.line : 0,
      operations: sc.statements.filter((s) => OP_KINDS.has(s.kind)).map((s) => s.range.start.line),
      realizable,
      errors,
    };
  });

  ctx.connection.onRequest('migtrace/parity', async (p: UriParams & { kernels?: string[] }): Promise<ParityAnswer> => {
    const a = analysis(p.uri);
    // the harness reads files: hand it the current text, unsaved edits included
    const dir = mkdtempSync(join(tmpdir(), 'migtrace-parity-'));
    const file = join(dir, fileName(p.uri).replace(/[^\w.-]/g, '_') || 'scenario.mig');
    try {
      writeFileSync(file, a.text);
      // loaded on first use: most sessions never boot a kernel
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runParity } = require('../parity/index') as typeof import('../parity/index');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { formatReport } = require('../cli/commands/parity') as typeof import('../cli/commands/parity');
      const report = await runParity([file], {
        kernels: p.kernels,
        onProgress: (pr) => void ctx.connection.sendNotification('migtrace/parityProgress', { uri: p.uri, ...pr }).catch(() => undefined),
      });
      const s = report.scenarios[0];
      const differences: ParityDifference[] = (s?.differences ?? []).map((d) => ({ line: d.line, message: `${d.field}: engine ${d.profile} ${d.engine} | kernel ${d.kernelLabel} ${d.kernel}` }));
      for (const k of report.kernels) if (!k.ok) differences.push({ line: 0, message: `kernel ${k.label} did not run: ${k.error}` });
      // the report names the temporary copy; the user knows the file by its own name
      for (const o of report.scenarios) o.file = fileName(p.uri);
      return { status: s?.status ?? 'error', reason: s?.reason, differences, text: formatReport(report) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
