// Engine results in the editor: one engine run per document text and profile,
// in a worker, debounced, cached, abandoned when the text changes, bounded in
// time. Its results become inlay hints (operation results, folio fates, ✓ on
// passing expectations, one budget hint), Error diagnostics (failed
// expectations, run errors) and the answers to the client's lens commands.

import { createHash } from 'node:crypto';
import { DiagnosticSeverity, type Diagnostic, type InlayHint, type InlayHintParams } from 'vscode-languageserver';
import type { ServerContext } from './serverContext';
import { EngineRunner, JobAbandoned } from './engine-runner';
import { budgetLabel, type CompareReport, type EngineReport, type RunJob } from './engine-report';
import { engineSettings, type EngineSettings } from './engine-settings';
import { registerEngineCommands } from './engine-commands';

export interface EngineOptions {
  /** quiet time after a change before the engine runs (hint requests do not wait for it) */
  debounceMs?: number;
  /** the editor's budget for one run: wall time and events */
  deadlineMs?: number;
  maxEvents?: number;
}

interface DocRun {
  key: string;
  version: number;
  promise: Promise<EngineReport | undefined>;
}

const CACHE_SIZE = 32;

export class EngineResults {
  readonly runner = new EngineRunner();
  private readonly cache = new Map<string, EngineReport>();
  private readonly runs = new Map<string, DocRun>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly deadlineMs: number;
  readonly maxEvents: number;
  private readonly debounceMs: number;
  private settings: Promise<EngineSettings> | undefined;

  constructor(
    private readonly ctx: ServerContext,
    opts: EngineOptions,
  ) {
    this.deadlineMs = opts.deadlineMs ?? 3000;
    this.maxEvents = opts.maxEvents ?? 5_000_000;
    this.debounceMs = opts.debounceMs ?? 300;
  }

  getSettings(): Promise<EngineSettings> {
    return (this.settings ??= engineSettings(this.ctx.connection));
  }

  /** A new default profile or hints turned on/off: the client asks again for every document. */
  settingsChanged(): void {
    this.settings = undefined;
    this.runs.clear(); // results of the old profile are no longer current
    for (const d of this.ctx.documents.all()) {
      this.runner.cancel(d.uri, 'the settings changed');
      this.schedule(d.uri);
      this.published(d.uri);
    }
  }

  /** The text changed: drop its run at once, start the next after the quiet time. */
  changed(uri: string): void {
    this.runner.cancel(uri);
    this.runs.delete(uri);
    this.schedule(uri);
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.runner.cancel(uri);
    this.runs.delete(uri);
  }

  private schedule(uri: string): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.report(uri);
      }, this.debounceMs),
    );
  }

  /**
   * The report for the current text of `uri` (running the engine if needed), or
   * undefined when the text does not parse cleanly, is not open, or changed
   * before the run ended.
   */
  async report(uri: string): Promise<{ report: EngineReport; version: number } | undefined> {
    const a = this.ctx.analysis(uri);
    if (!a) return undefined;
    // In steps, like the diagnostics (which usually built it already): a huge document must not block requests.
    if (!(await a.checkedAsync(() => this.ctx.analysis(uri) !== a))) return undefined;
    if (a.diagnostics.some((d) => d.severity === 'error')) return undefined;
    const { defaultProfile } = await this.getSettings();
    const key = keyOf(defaultProfile, a.text);
    const cached = this.cache.get(key);
    if (cached) return { report: cached, version: a.version };
    let r = this.runs.get(uri);
    if (!r || r.key !== key) {
      this.runner.cancel(uri);
      const job: RunJob = { text: a.text, defaultProfile, deadlineMs: this.deadlineMs, maxEvents: this.maxEvents, file: fileName(uri) };
      const version = a.version;
      const promise = this.runner
        .submit<EngineReport>(uri, { kind: 'run', job }, this.deadlineMs + 2000)
        .then(
          (report) => report,
          (e: Error) => {
            if (!(e instanceof JobAbandoned)) this.ctx.log.error(`engine run of ${uri} failed: ${e.stack ?? e.message}`);
            return e instanceof JobAbandoned && !/text changed|settings changed|shutting down/.test(e.message) ? overBudget(job, a.text) : undefined;
          },
        )
        .then((report) => {
          if (report) this.remember(key, report);
          if (report && this.runs.get(uri)?.key === key) this.published(uri);
          if (!report && this.runs.get(uri)?.key === key) this.runs.delete(uri);
          return report;
        });
      r = { key, version, promise };
      this.runs.set(uri, r);
    }
    const report = await r.promise;
    const now = this.ctx.analysis(uri);
    if (!report || !now || now.version !== r.version) return undefined;
    return { report, version: r.version };
  }

  /** The cached report of the current text, without running anything. */
  current(uri: string): EngineReport | undefined {
    const r = this.runs.get(uri);
    const a = this.ctx.analysis(uri);
    if (!r || !a || r.version !== a.version) return undefined;
    return this.cache.get(r.key);
  }

  /** A report the user asked for (▶ Run) becomes the hints of that text when it is still current. */
  async adopt(uri: string, text: string, report: EngineReport): Promise<void> {
    if (report.error?.budget) return;
    const { defaultProfile } = await this.getSettings();
    const key = keyOf(defaultProfile, text);
    this.remember(key, report);
    const a = this.ctx.analysis(uri);
    if (a && a.text === text) {
      this.runner.cancel(uri);
      this.runs.set(uri, { key, version: a.version, promise: Promise.resolve(report) });
      this.published(uri);
    }
  }

  remember(key: string, report: EngineReport): void {
    this.cache.delete(key);
    this.cache.set(key, report);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** A new report is in: the client re-asks for hints, diagnostics are re-published. */
  published(uri: string): void {
    this.ctx.refreshDiagnostics?.(uri);
    try {
      void this.ctx.connection.languages.inlayHint.refresh().catch(() => undefined);
    } catch {
      // a client without inlay hint refresh asks again on its own
    }
  }

  async compare(uri: string, a: string, b: string): Promise<CompareReport | undefined> {
    const an = this.ctx.analysis(uri);
    if (!an) return undefined;
    const job = { text: an.text, a, b, deadlineMs: this.deadlineMs, maxEvents: this.maxEvents, file: fileName(uri) };
    // the lenses ask again on every edit: a newer comparison supersedes the queued or running one
    this.runner.cancel(`${uri}#compare`, 'superseded by a newer comparison');
    return this.runner.submit<CompareReport>(`${uri}#compare`, { kind: 'compare', job }, 2 * this.deadlineMs + 2000);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.runner.dispose();
  }
}

function keyOf(profile: string, text: string): string {
  return createHash('sha1').update(profile).update('\0').update(text).digest('hex');
}

export function fileName(uri: string): string {
  const path = decodeURIComponent(uri.replace(/^[a-z-]+:\/\/[^/]*/, ''));
  return path.slice(path.lastIndexOf('/') + 1) || uri;
}

/** The report of a run the worker had to be stopped for: one hint at the first operation. */
function overBudget(job: RunJob, text: string): EngineReport {
  const lines = text.split(/\r?\n/);
  let line = lines.findIndex((l) => /^(migrate_pages|move_pages|mbind|pin|migrate_vma|numa_fault)\b/.test(l));
  if (line < 0) line = 0;
  const message = `the run exceeded its time budget of ${job.deadlineMs} ms`;
  return { profile: job.defaultProfile ?? '', hints: [{ line, label: budgetLabel(job), kind: 'budget' }], failedExpects: [], error: { line, message, budget: true }, text: `${job.file}:${line + 1}: error: ${message}`, events: 0, ms: job.deadlineMs };
}

export function engineDiagnostics(report: EngineReport): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of report.failedExpects) {
    out.push({
      range: { start: { line: e.line, character: e.startChar }, end: { line: e.line, character: Math.max(e.endChar, e.startChar + 1) } },
      severity: DiagnosticSeverity.Error,
      source: 'migtrace engine',
      code: 'expect-failed',
      message: e.expected || e.actual ? `expected ${e.expected}, actual ${e.actual} (kernel ${report.profile})` : `${e.message} (kernel ${report.profile})`,
    });
  }
  if (report.error && !report.error.budget) {
    out.push({
      range: { start: { line: report.error.line, character: 0 }, end: { line: report.error.line, character: Number.MAX_SAFE_INTEGER >>> 0 } },
      severity: DiagnosticSeverity.Error,
      source: 'migtrace engine',
      code: 'engine-error',
      message: `the engine stopped here (kernel ${report.profile}): ${report.error.message}`,
    });
  }
  return out;
}

export function inlayHints(report: EngineReport, lineText: (line: number) => string | undefined, range?: InlayHintParams['range']): InlayHint[] {
  const out: InlayHint[] = [];
  const seen = new Set<number>();
  for (const h of report.hints) {
    if (range && (h.line < range.start.line || h.line > range.end.line)) continue;
    const text = lineText(h.line);
    if (text === undefined) continue;
    if (h.kind === 'budget') {
      if (seen.has(-1)) continue;
      seen.add(-1);
    }
    out.push({ position: { line: h.line, character: text.replace(/\s+$/, '').length }, label: h.label, paddingLeft: true, tooltip: h.kind === 'budget' ? report.error?.message : undefined });
  }
  return out;
}

export function registerEngineResults(ctx: ServerContext, opts: EngineOptions = {}): EngineResults {
  const engine = new EngineResults(ctx, opts);
  ctx.engineDiagnostics = (uri, version) => {
    const a = ctx.analysis(uri);
    const r = engine.current(uri);
    return a && a.version === version && r ? engineDiagnostics(r) : [];
  };
  ctx.documents.onDidOpen((e) => engine.changed(e.document.uri));
  ctx.documents.onDidChangeContent((e) => engine.changed(e.document.uri));
  ctx.documents.onDidClose((e) => engine.closed(e.document.uri));
  ctx.connection.onDidChangeConfiguration(() => engine.settingsChanged());
  ctx.connection.onShutdown(() => engine.dispose());
  ctx.connection.languages.inlayHint.on(async (params, token) => {
    try {
      const { inlayHints: enabled } = await engine.getSettings();
      if (!enabled) return [];
      const res = await engine.report(params.textDocument.uri);
      if (!res || token.isCancellationRequested) return [];
      const doc = ctx.documents.get(params.textDocument.uri);
      if (!doc || doc.version !== res.version) return [];
      const lines = doc.getText().split(/\r?\n/);
      return inlayHints(res.report, (l) => lines[l], params.range);
    } catch (err) {
      // like every handler (safe.ts): log, answer empty, never throw at the client
      ctx.log.error(`inlay hints failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return [];
    }
  });
  registerEngineCommands(ctx, engine);
  return engine;
}
