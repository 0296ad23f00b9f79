// The README's test command: type-check, lint, build, then every test suite.
// Each step prints its own result; the run stops at the first failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function listTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

function run(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

// What the suites need (Debian packages for code-server, Chromium and QEMU; npm packages): installed
// when missing, so that `npm test` alone works on a fresh machine. Idempotent and quick when all is there.
if (process.env.MIGTRACE_SKIP_SETUP !== '1') run('setup (scripts/setup.sh: install what is missing)', 'bash', ['scripts/setup.sh']);
if (want('typecheck')) run('type-check (tsc --noEmit, strict)', 'npx', ['tsc', '--noEmit', '-p', '.']);
if (want('lint')) run('lint (eslint)', 'npx', ['eslint', '.']);
if (want('build')) run('build (esbuild)', 'node', ['scripts/build.mjs']);

// Node's own test runner over every *.test.ts (unit, scenario, server, debug-adapter, parity, e2e):
// one run, so the closing "tests N / pass N / fail N" lines count everything.
const suites = ['unit', 'scenarios', 'server', 'grammar', 'debug-adapter', 'cli', 'parity', 'e2e'];
const files = suites.filter(want).flatMap((s) => listTests(join('test', s), '.test.ts'));
if (files.length) {
  run(`tests (${files.length} files)`, 'node', ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' },
  });
}
