// Does our server stay responsive on a 10 MB scenario? Through the real server
// over stdio (dist/server.js --stdio):
//  - while the document is first analysed, a completion request every 50 ms:
//    the longest wait is how long the editor would freeze;
//  - cancellation: expensive requests cancelled at once and after a delay,
//    and whether the server honours `$/cancelRequest`;
//  - a burst of keystrokes: how many diagnostics are published (the debounce
//    should publish once) and how long after the last key they arrive.
//
//   node --import tsx bench/lsp-responsiveness.ts     (BENCH_MB=10 by default)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LspClient } from './lib/lsp-client';
import { genScenario } from './lib/gen-scenario';
import { ms, summarize } from './lib/stats';
import { machineLine, OUT_DIR, table, writeResult } from './lib/report';
import { ensureServerBuilt } from './lib/server-build';

const ROOT = resolve(__dirname, '..');
const MB = Number(process.env.BENCH_MB ?? 10);

async function main(): Promise<void> {
  console.log(`Responsiveness of our server on a ${MB} MB scenario (${machineLine()})`);
  const why = ensureServerBuilt();
  if (why) {
    console.log(`skipped: ${why}`);
    writeResult('lsp-responsiveness', { skipped: why });
    return;
  }
  const g = genScenario({ bytes: MB * 1024 * 1024 });
  const dir = join(OUT_DIR, 'docs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'big.mig');
  writeFileSync(file, g.text);
  const uri = pathToFileURL(file).href;
  const c = await LspClient.start({ name: 'migtrace', script: join(ROOT, 'dist', 'server.js'), args: ['--stdio'], cwd: dir });
  const completion = { textDocument: { uri }, position: g.marks.flagWord, context: { triggerKind: 1 } };
  const result: Record<string, unknown> = { lines: g.lines, bytes: g.bytes };
  try {
    // 1. the first analysis, probed every 50 ms
    const t0 = performance.now();
    const first = c.nextDiagnostics(uri, () => true, 300_000);
    await c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'migscenario', version: 1, text: g.text } });
    let done = false;
    const diagnosed = first.then((d) => {
      done = true;
      return { ms: performance.now() - t0, count: d.diagnostics.length };
    });
    const waits: number[] = [];
    while (!done) {
      waits.push((await c.timed('textDocument/completion', completion, 300_000)).ms);
      await sleep(50);
    }
    const firstDiag = await diagnosed;
    const w = summarize(waits);
    result.open = { firstDiagnosticsMs: firstDiag.ms, diagnostics: firstDiag.count, completionDuringAnalysis: w };

    // 2. cancellation
    const cancels: { request: string; after: number; ms: number; outcome: string }[] = [];
    for (const [method, params] of [
      ['textDocument/semanticTokens/full', { textDocument: { uri } }],
      ['textDocument/documentSymbol', { textDocument: { uri } }],
      ['textDocument/foldingRange', { textDocument: { uri } }],
    ] as const) {
      for (const after of [0, 20]) {
        const r = await c.cancelled(method, params, after);
        cancels.push({ request: method.replace('textDocument/', ''), after, ...r });
      }
      const full = await c.timed(method, params, 300_000);
      cancels.push({ request: method.replace('textDocument/', ''), after: -1, ms: full.ms, outcome: 'not cancelled (reference)' });
    }
    result.cancellation = cancels;

    // 3. a burst of 10 keystrokes, 30 ms apart, then wait for the diagnostics of the last version
    const { line, character } = g.edit;
    let published = 0;
    const lastVersion = 11;
    const counting = c.nextDiagnostics(uri, (p) => {
      published++;
      return p.version === lastVersion || p.version === undefined;
    }, 300_000);
    let tLast = 0;
    for (let v = 2; v <= lastVersion; v++) {
      await c.change(uri, v, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: v % 2 ? 'E' : 'X' }]);
      tLast = performance.now();
      if (v < lastVersion) await sleep(30);
    }
    await counting;
    result.typing = { keystrokes: 10, publishes: published, lastKeyToDiagnosticsMs: performance.now() - tLast };

    console.log(`\n${g.lines.toLocaleString('en-US')} lines, ${(g.bytes / 1048576).toFixed(1)} MB`);
    console.log(`open → first diagnostics: ${ms(firstDiag.ms)} ms (${firstDiag.count} diagnostics)`);
    console.log(`completion while the first analysis runs (${w.n} probes): median ${ms(w.median)} ms, longest wait ${ms(w.max)} ms`);
    console.log(table(['request', 'cancelled after', 'answer in (ms)', 'outcome'], cancels.map((x) => [x.request, x.after < 0 ? '—' : `${x.after} ms`, ms(x.ms), x.outcome])));
    const t = result.typing as { publishes: number; lastKeyToDiagnosticsMs: number };
    console.log(`typing burst: 10 keystrokes → ${t.publishes} publishDiagnostics, last key → diagnostics ${ms(t.lastKeyToDiagnosticsMs)} ms`);
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    console.log(`FAILED: ${result.error}`);
    process.exitCode = 1;
  } finally {
    await c.shutdown();
  }
  console.log(`wrote ${writeResult('lsp-responsiveness', result)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
