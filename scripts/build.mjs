// Bundles the four entry points into dist/ with esbuild.
// Development builds carry source maps; `--production` minifies for the .vsix.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');

// dist/client.js requires its chunks (client/chunks/index.ts) as separate files, so that
// activation loads ~20 KB instead of the language client, the engine and the debugger.
const chunkFiles = {
  name: 'client-chunks',
  setup(b) {
    b.onResolve({ filter: /^\.\/(heavy|lsp)$/ }, (args) =>
      args.importer.endsWith(join('client', 'chunks', 'index.ts')) ? { path: `./client-${args.path.slice(2)}.js`, external: true } : undefined,
    );
  },
};

const entries = [
  { in: 'client/extension.ts', out: 'client', external: ['vscode'], plugins: [chunkFiles] },
  { in: 'client/chunks/lsp.ts', out: 'client-lsp', external: ['vscode'] },
  { in: 'client/chunks/heavy.ts', out: 'client-heavy', external: ['vscode'] },
  { in: 'server/main.ts', out: 'server', external: [] },
  // the engine runs of the language server, in a worker thread (server/engine-runner.ts)
  { in: 'server/engine-worker.ts', out: 'engine-worker', external: [] },
  { in: 'debug-adapter/main.ts', out: 'debug-adapter', external: [] },
  { in: 'cli/main.ts', out: 'cli', external: [], banner: '#!/usr/bin/env node' },
  // the trace timeline's webview script (client/timeline/panel.ts loads it)
  { in: 'client/timeline/webview/main.ts', out: 'timeline', external: [], platform: 'browser' },
].filter((e) => existsSync(e.in));

const started = Date.now();
await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      bundle: true,
      platform: e.platform ?? 'node',
      target: e.platform === 'browser' ? 'es2022' : 'node20',
      format: e.platform === 'browser' ? 'iife' : 'cjs',
      external: e.external,
      minify: production,
      sourcemap: production ? false : 'linked',
      banner: e.banner ? { js: e.banner } : undefined,
      logLevel: 'warning',
      legalComments: 'none',
      plugins: e.plugins ?? [],
    }),
  ),
);
console.log(`built ${entries.map((e) => e.out).join(', ')} in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
