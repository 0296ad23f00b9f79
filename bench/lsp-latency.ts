// Language-server latency, ours against yaml-language-server 1.25.0 and
// dockerfile-language-server-nodejs 0.15.0, in the same run and through the
// same client (lib/lsp-client.ts), each on a 10,000-line document:
// completion, hover, semantic tokens and edit → diagnostics, median and p99.
//
//   node --import tsx bench/lsp-latency.ts
//   BENCH_LINES=10000 BENCH_SAMPLES=100 BENCH_WARMUP=20 BENCH_EDITS=40 BENCH_TYPING=40  (the defaults)
//   BENCH_PROBE_TIMEOUT_MS=15000   a first answer slower than this marks the cell as timed out
//   BENCH_CPU_PROF=1   also profiles our server (node --cpu-prof) and prints its hottest functions
//   BENCH_ONLY=migtrace   measure only the servers whose name starts with this (quick iterations; peers then absent)
//   BENCH_SERVER_NODE_ARGS='--max-semi-space-size=32'   extra node flags for our server (to try V8 tuning)
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient, type ServerSpec } from './lib/lsp-client';
import { genScenario, type Pos } from './lib/gen-scenario';
import { genDockerfile, genYaml, SERVICES_SCHEMA } from './lib/gen-peers';
import { summarize, ms, type Summary } from './lib/stats';
import { machineLine, OUT_DIR, table, writeResult } from './lib/report';
import { ensureServerBuilt } from './lib/server-build';
import { hotFunctions, inclusiveTimes, type HotFunction } from './lib/cpuprofile';
import { buildProfiledServer, sourceOfLine } from './lib/profiled-server';

const ROOT = resolve(__dirname, '..');
const LINES = Number(process.env.BENCH_LINES ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const EDITS = Number(process.env.BENCH_EDITS ?? 40);
/** longer than our server's burst window (diagnosticsDelayMs, 150 ms) and yaml-language-server's validationDelayMs (200 ms) */
const QUIET_PAUSE_MS = 300;
const EDIT_QUIET = 'edit → diagnostics (quiet document)';
const EDIT_BURST = 'edit → diagnostics (edits back to back)';
const EDIT_ENTER = 'edit → diagnostics (Enter mid-document)';
/** keystroke + completion rounds; fewer than SAMPLES because a peer that re-validates on every change needs seconds per round */
const TYPING = Number(process.env.BENCH_TYPING ?? 40);
const PROFILE = process.env.BENCH_CPU_PROF === '1';
const ONLY = process.env.BENCH_ONLY;
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PROBE_TIMEOUT_MS = Number(process.env.BENCH_PROBE_TIMEOUT_MS ?? 15_000);
const GOAL_COMPLETION_P99 = 10;
const GOAL_DIAGNOSTICS = 50;

interface Probe {
  /** the row label, shared by servers that answer the same question */
  label: string;
  method: string;
  params: unknown;
  /** the capability that must be present for the probe to make sense */
  supported: (c: LspClient) => boolean;
  /** a short description of the answer, to prove it did real work (and fail if it did not) */
  describe: (result: unknown) => string;
  /** measured after the edits: a server that cannot answer it in time is stopped */
  last?: boolean;
}

interface Subject {
  name: string;
  spec: ServerSpec;
  languageId: string;
  file: string;
  text: string;
  lines: number;
  probes: Probe[];
  edit: { line: number; character: number; original: string; broken: string };
}

interface Row {
  label: string;
  summary?: Summary;
  note: string;
  timedOut?: boolean;
  failed?: boolean;
}

const docId = (uri: string) => ({ textDocument: { uri } });

function completionItems(r: unknown): number {
  if (Array.isArray(r)) return r.length;
  return (r as { items?: unknown[] } | null)?.items?.length ?? 0;
}

function probes(uri: string, completion: Pos, hover: Pos, extra: Probe[] = []): Probe[] {
  return [
    {
      label: 'completion (statement start)',
      method: 'textDocument/completion',
      params: { ...docId(uri), position: completion, context: { triggerKind: 1 } },
      supported: (c) => !!c.capabilities.completionProvider,
      describe: (r) => `${completionItems(r)} items`,
    },
    ...extra,
    {
      label: 'hover',
      method: 'textDocument/hover',
      params: { ...docId(uri), position: hover },
      supported: (c) => !!c.capabilities.hoverProvider,
      describe: (r) => (r ? `${JSON.stringify((r as { contents: unknown }).contents).length} chars` : 'empty'),
    },
    {
      label: 'semantic tokens (full)',
      method: 'textDocument/semanticTokens/full',
      params: docId(uri),
      supported: (c) => !!c.capabilities.semanticTokensProvider,
      describe: (r) => `${((r as { data?: number[] } | null)?.data?.length ?? 0) / 5} tokens`,
      last: true,
    },
  ];
}

function docsDir(): string {
  const dir = join(OUT_DIR, 'docs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function subjects(profDir: string, profiledServer: string | undefined): { list: Subject[]; skipped: string[] } {
  const dir = docsDir();
  const list: Subject[] = [];
  const skipped: string[] = [];

  const why = ensureServerBuilt();
  if (why) skipped.push(`migtrace: ${why}`);
  else {
    const g = genScenario({ lines: LINES });
    const file = join(dir, 'bench.mig');
    const uri = pathToFileURL(file).href;
    const m = g.marks;
    list.push({
      name: 'migtrace',
      spec: {
        name: 'migtrace',
        script: profiledServer ?? join(ROOT, 'dist', 'server.js'),
        args: ['--stdio'],
        cwd: dir,
        nodeArgs: [...SERVER_NODE_ARGS, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [])],
        settings: { migtrace: { kernel: { defaultProfile: '6.12' }, inlayHints: { enabled: true } } },
      },
      languageId: 'migscenario',
      file,
      text: g.text,
      lines: g.lines,
      probes: probes(uri, m.opLineStart, m.flagWord, [
        {
          label: 'completion (flag after `flags`)',
          method: 'textDocument/completion',
          params: { ...docId(uri), position: m.flagWord, context: { triggerKind: 1 } },
          supported: (c) => !!c.capabilities.completionProvider,
          describe: (r) => `${completionItems(r)} items`,
        },
        {
          label: 'completion (names in scope)',
          method: 'textDocument/completion',
          params: { ...docId(uri), position: m.touchTarget, context: { triggerKind: 1 } },
          supported: (c) => !!c.capabilities.completionProvider,
          describe: (r) => `${completionItems(r)} items`,
        },
        {
          label: 'hover (declared name)',
          method: 'textDocument/hover',
          params: { ...docId(uri), position: m.mappingUse },
          supported: (c) => !!c.capabilities.hoverProvider,
          describe: (r) => (r ? `${JSON.stringify((r as { contents: unknown }).contents).length} chars` : 'empty'),
        },
      ]),
      edit: g.edit,
    });
  }

  const y = genYaml(LINES);
  const yfile = join(dir, 'bench-services.yaml');
  const schemaFile = join(dir, 'services.schema.json');
  writeFileSync(schemaFile, JSON.stringify(SERVICES_SCHEMA, null, 2));
  const yuri = pathToFileURL(yfile).href;
  list.push({
    name: 'yaml-language-server 1.25.0',
    spec: {
      name: 'yaml-language-server',
      script: join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server'),
      args: ['--stdio'],
      cwd: dir,
      settings: {
        yaml: {
          validate: true,
          hover: true,
          completion: true,
          format: { enable: true },
          // no network: the only schema is the local one
          schemaStore: { enable: false },
          schemas: { [pathToFileURL(schemaFile).href]: 'bench-services.yaml' },
        },
      },
    },
    languageId: 'yaml',
    file: yfile,
    text: y.text,
    lines: y.lines,
    probes: probes(yuri, y.completion, y.hover),
    edit: y.edit,
  });

  const d = genDockerfile(LINES);
  const dfile = join(dir, 'Dockerfile');
  const duri = pathToFileURL(dfile).href;
  list.push({
    name: 'dockerfile-language-server 0.15.0',
    spec: {
      name: 'dockerfile-language-server',
      script: join(ROOT, 'node_modules', 'dockerfile-language-server-nodejs', 'bin', 'docker-langserver'),
      args: ['--stdio'],
      cwd: dir,
      settings: { docker: { languageserver: { diagnostics: {}, formatter: {} } } },
    },
    languageId: 'dockerfile',
    file: dfile,
    text: d.text,
    lines: d.lines,
    probes: probes(duri, d.completion, d.hover),
    edit: d.edit,
  });
  return { list: ONLY ? list.filter((s) => s.name.startsWith(ONLY)) : list, skipped };
}

/** Thrown when a server takes longer than PROBE_TIMEOUT_MS: it is busy and cannot be measured further. */
class TooSlow extends Error {}

async function measureProbe(c: LspClient, p: Probe): Promise<Row> {
  if (!p.supported(c)) return { label: p.label, note: 'not offered by this server' };
  let answer = '';
  try {
    const first = await c.timed(p.method, p.params, PROBE_TIMEOUT_MS);
    answer = p.describe(first.result);
  } catch (e) {
    if (e instanceof Error && /no answer/.test(e.message)) throw new TooSlow(`no answer within ${PROBE_TIMEOUT_MS / 1000} s`);
    throw e;
  }
  for (let i = 1; i < WARMUP; i++) answer = p.describe((await c.timed(p.method, p.params)).result);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push((await c.timed(p.method, p.params)).ms);
  if (/^0 |^empty$/.test(answer)) throw new Error(`${c.spec.name}: ${p.label} answered nothing (${answer}); the probe position is wrong`);
  return { label: p.label, summary: summarize(samples), note: answer };
}

/**
 * didChange → publishDiagnostics. The edits alternate between breaking and
 * restoring one word, so every sample waits for diagnostics that really
 * reflect the new text: by version when the server reports it, else by count.
 * With `pauseMs` 0 each edit follows the previous publication at once, which
 * our server counts as a burst of typing (it then waits out its 150 ms quiet
 * time); with a pause longer than that, every edit is a change to a quiet
 * document and the sample is the analysis itself.
 */
async function measureEdits(c: LspClient, s: Subject, uri: string, base: PublishDiagnosticsParams, counter: { v: number }, label: string, pauseMs: number): Promise<Row> {
  const baseCount = base.diagnostics.length;
  let brokenCount: number | undefined;
  let version = counter.v || 1;
  const samples: number[] = [];
  const lines = s.text.split('\n');
  for (let i = 0; i < EDITS + 4; i++) {
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    const breaking = i % 2 === 0;
    const { line, character, original, broken } = s.edit;
    const text = breaking ? broken : original;
    lines[line] = lines[line]!.slice(0, character) + text + lines[line]!.slice(character + 1);
    version++;
    const v = version;
    const change = c.incremental
      ? { range: { start: { line, character }, end: { line, character: character + 1 } }, text }
      : { text: lines.join('\n') };
    const accept = (p: PublishDiagnosticsParams): boolean => {
      if (p.version !== undefined && p.version !== null) return p.version === v;
      const n = p.diagnostics.length;
      return breaking ? (brokenCount === undefined ? n !== baseCount : n === brokenCount) : n === baseCount;
    };
    const t0 = performance.now();
    const next = c.nextDiagnostics(uri, accept, 60_000);
    await c.change(uri, v, [change]);
    const got = await next;
    const dt = performance.now() - t0;
    if (breaking) {
      if (got.diagnostics.length <= baseCount) {
        throw new Error(`${s.name}: breaking '${original}'→'${broken}' at ${line + 1}:${character + 1} did not add a diagnostic (${got.diagnostics.length} vs ${baseCount})`);
      }
      brokenCount ??= got.diagnostics.length;
    } else if (got.diagnostics.length !== baseCount) {
      throw new Error(`${s.name}: restoring the text left ${got.diagnostics.length} diagnostics, expected ${baseCount}`);
    }
    if (i >= 4) samples.push(dt); // the first two round trips warm up
  }
  counter.v = version;
  return { label, summary: summarize(samples), note: `${baseCount}→${brokenCount} diagnostics` };
}

/**
 * Enter pressed (a line break inserted at the start of the middle line) and taken
 * back, in turn, on a quiet document: every line below moves. The diagnostics do not
 * change, so a publication can only be matched by its version; a server whose
 * publications carry none gets no figure for this row.
 */
async function measureEnter(c: LspClient, s: Subject, uri: string, base: PublishDiagnosticsParams, counter: { v: number }): Promise<Row> {
  if (base.version === undefined || base.version === null) return { label: EDIT_ENTER, note: 'n/a: its publishDiagnostics carry no version' };
  const line = Math.floor(s.text.split('\n').length / 2);
  let version = counter.v || 1;
  const samples: number[] = [];
  for (let i = 0; i < EDITS + 4; i++) {
    await new Promise((r) => setTimeout(r, QUIET_PAUSE_MS));
    const insert = i % 2 === 0;
    version++;
    const v = version;
    const change = insert ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' } : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
    const t0 = performance.now();
    const next = c.nextDiagnostics(uri, (p) => p.version === v, 60_000);
    await c.change(uri, v, [c.incremental ? change : { text: insert ? insertLineBreak(s.text, line) : s.text }]);
    await next;
    if (i >= 4) samples.push(performance.now() - t0);
  }
  counter.v = version;
  return { label: EDIT_ENTER, summary: summarize(samples), note: `line ${line + 1}` };
}

function insertLineBreak(text: string, line: number): string {
  const lines = text.split('\n');
  lines.splice(line, 0, '');
  return lines.join('\n');
}

/**
 * A keystroke followed at once by a completion request, as when the user types
 * and the suggest widget asks: the server must apply the change and answer
 * against the new text (for ours: a fresh parse of the whole document).
 */
async function measureTypingCompletion(c: LspClient, s: Subject, uri: string, version: { v: number }): Promise<Row> {
  const label = 'completion right after an edit';
  const p = s.probes[0]!;
  if (!p.supported(c)) return { label, note: 'not offered by this server' };
  const lines = s.text.split('\n');
  const { line, character, original, broken } = s.edit;
  const samples: number[] = [];
  let answer = '';
  const warmup = 4;
  const rounds = warmup + TYPING;
  for (let i = 0; i < rounds + (rounds % 2); i++) {
    const text = i % 2 === 0 ? broken : original;
    lines[line] = lines[line]!.slice(0, character) + text + lines[line]!.slice(character + 1);
    const change = c.incremental
      ? { range: { start: { line, character }, end: { line, character: character + 1 } }, text }
      : { text: lines.join('\n') };
    const t0 = performance.now();
    await c.change(uri, ++version.v, [change]);
    const r = await c.request<unknown>(p.method, p.params);
    if (i >= warmup) samples.push(performance.now() - t0);
    answer = p.describe(r);
  }
  return { label, summary: summarize(samples), note: answer };
}

interface Result {
  name: string;
  lines: number;
  bytes: number;
  openMs?: number;
  rows: Row[];
  error?: string;
  incrementalSync?: boolean;
}

/** A request the server answers with an error fails its row, not the whole server. */
async function orFailed(label: string, work: () => Promise<Row>): Promise<Row> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof TooSlow || /exited|no answer/.test(String(e))) throw e;
    return { label, note: `failed: ${e instanceof Error ? e.message : String(e)}`, failed: true };
  }
}

async function runSubject(s: Subject): Promise<Result> {
  const result: Result = { name: s.name, lines: s.lines, bytes: Buffer.byteLength(s.text), rows: [] };
  writeFileSync(s.file, s.text);
  const uri = pathToFileURL(s.file).href;
  let c: LspClient | undefined;
  try {
    c = await LspClient.start(s.spec);
    result.incrementalSync = c.incremental;
    const t0 = performance.now();
    const base = await c.open(uri, s.languageId, s.text);
    result.openMs = performance.now() - t0;
    for (const p of s.probes.filter((x) => !x.last)) result.rows.push(await orFailed(p.label, () => measureProbe(c!, p)));
    const version = { v: 0 };
    result.rows.push(await orFailed(EDIT_QUIET, () => measureEdits(c!, s, uri, base, version, EDIT_QUIET, QUIET_PAUSE_MS)));
    result.rows.push(await orFailed(EDIT_BURST, () => measureEdits(c!, s, uri, base, version, EDIT_BURST, 0)));
    result.rows.push(await orFailed(EDIT_ENTER, () => measureEnter(c!, s, uri, base, version)));
    result.rows.push(await orFailed('completion right after an edit', () => measureTypingCompletion(c!, s, uri, version)));
    for (const p of s.probes.filter((x) => x.last)) {
      try {
        result.rows.push(await orFailed(p.label, () => measureProbe(c!, p)));
      } catch (e) {
        if (!(e instanceof TooSlow)) throw e;
        result.rows.push({ label: p.label, note: e.message, timedOut: true });
        break; // the server is still computing; shutdown() stops it
      }
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  } finally {
    await c?.shutdown();
  }
  return result;
}

function verdicts(results: Result[]): string[] {
  const ours = results.find((r) => r.name === 'migtrace' && !r.error);
  if (!ours) return ['no figures for migtrace: goals not checked'];
  const get = (r: Result, label: string) => r.rows.find((x) => x.label === label)?.summary;
  const out: string[] = [];
  for (const row of ours.rows.filter((r) => r.label.startsWith('completion') && r.summary)) {
    const p99 = row.summary!.p99;
    out.push(`${p99 <= GOAL_COMPLETION_P99 ? 'MET ' : 'MISSED'}  p99 ${row.label} ≤ ${GOAL_COMPLETION_P99} ms: ${ms(p99)} ms`);
  }
  for (const label of [EDIT_QUIET, EDIT_ENTER]) {
    const diag = get(ours, label);
    if (diag) out.push(`${diag.p99 <= GOAL_DIAGNOSTICS ? 'MET ' : 'MISSED'}  diagnostics for ${ours.lines} lines ≤ ${GOAL_DIAGNOSTICS} ms (${label.replace(/^edit → diagnostics \((.*)\)$/, '$1')}): median ${ms(diag.median)}, p99 ${ms(diag.p99)} ms`);
  }
  for (const peer of results.filter((r) => r !== ours && !r.error)) {
    for (const row of ours.rows) {
      const theirs = get(peer, row.label);
      if (!row.summary || !theirs) continue;
      const ok = row.summary.median <= theirs.median && row.summary.p99 <= theirs.p99;
      out.push(`${ok ? 'MET ' : 'MISSED'}  ${row.label} no slower than ${peer.name}: ${ms(row.summary.median)}/${ms(row.summary.p99)} vs ${ms(theirs.median)}/${ms(theirs.p99)} ms (median/p99)`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const profDir = join(OUT_DIR, 'prof');
  let profiledServer: string | undefined;
  if (PROFILE) {
    rmSync(profDir, { recursive: true, force: true });
    mkdirSync(profDir, { recursive: true });
    profiledServer = await buildProfiledServer(profDir);
  }
  const { list, skipped } = subjects(profDir, profiledServer);
  console.log(`LSP latency over stdio, ${LINES} lines per document, ${WARMUP} warm-up + ${SAMPLES} samples per request, ${EDITS} edits, ${TYPING} keystroke+completion rounds (${machineLine()})`);
  for (const s of skipped) console.log(`skipped ${s}`);
  const results: Result[] = [];
  for (const s of list) {
    process.stdout.write(`  ${s.name} ... `);
    const r = await runSubject(s);
    results.push(r);
    console.log(r.error ? `FAILED: ${r.error}` : `open → first diagnostics ${ms(r.openMs)} ms`);
  }
  const labels = [...new Set(results.flatMap((r) => r.rows.map((x) => x.label)))];
  const headers = ['operation (ms, median / p99)', ...results.map((r) => r.name)];
  const rows = labels.map((label) => [
    label,
    ...results.map((r) => {
      const row = r.rows.find((x) => x.label === label);
      if (!row) return r.error ? 'failed' : '—';
      if (row.failed) return 'failed';
      if (row.timedOut) return `> ${PROBE_TIMEOUT_MS / 1000} s (timed out)`;
      return row.summary ? `${ms(row.summary.median)} / ${ms(row.summary.p99)}` : 'n/a';
    }),
  ]);
  rows.push(['open → first diagnostics', ...results.map((r) => ms(r.openMs))]);
  console.log('\n' + table(headers, rows));
  console.log('\nwhat each answer held: ' + results.map((r) => `${r.name}: ${r.rows.map((x) => `${x.label} ${x.note}`).join('; ')}`).join(' | '));
  const v = verdicts(results);
  console.log('\ngoals:\n  ' + v.join('\n  '));
  if (results.some((r) => r.name.startsWith('yaml') && !r.error)) {
    console.log('  note: yaml-language-server waits a fixed 200 ms (validationDelayMs) before validating; its edit → diagnostics includes that delay.');
  }
  if (PROFILE && profiledServer && existsSync(profDir)) {
    const source = sourceOfLine(profiledServer);
    const ours = (url: string): boolean => url.endsWith('/server.js');
    const rows = (hs: HotFunction[]): string[][] =>
      hs.map((h) => {
        const line = Number(/:(\d+)$/.exec(h.where)?.[1] ?? 0);
        return [h.name, h.where ? `${source(line) || '?'} (bundle line ${line})` : '', ms(h.selfMs), `${(h.share * 100).toFixed(1)}%`];
      });
    for (const f of readdirSync(profDir).filter((x) => x.endsWith('.cpuprofile'))) {
      const prof = join(profDir, f);
      console.log(`\nour server's profile over the whole run: ${prof}`);
      console.log('self time (where the CPU was):');
      console.log(table(['function', 'source', 'self ms', 'share'], rows(hotFunctions(prof, 15))));
      console.log('inclusive time (the function and what it calls), our code only:');
      console.log(table(['function', 'source', 'total ms', 'share'], rows(inclusiveTimes(prof, 20, ours))));
    }
  }
  const file = writeResult('lsp-latency', { lines: LINES, samples: SAMPLES, warmup: WARMUP, edits: EDITS, skipped, results, goals: v });
  console.log(`\nwrote ${file}`);
  for (const r of results) for (const row of r.rows.filter((x) => x.failed)) console.log(`${r.name}: ${row.label} ${row.note}`);
  if (results.some((r) => r.error || r.rows.some((x) => x.failed))) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
