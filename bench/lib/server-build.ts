// Builds dist/server.js (node scripts/build.mjs) when it is missing or older
// than the sources it bundles, so a benchmark never measures a stale server.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function newestTs(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .reduce((m, e) => Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
}

/** Undefined when dist/server.js is ready; otherwise why it is not. */
export function ensureServerBuilt(): string | undefined {
  if (!existsSync(join(ROOT, 'server', 'main.ts'))) return 'server/main.ts does not exist yet';
  const dist = join(ROOT, 'dist', 'server.js');
  const stale = !existsSync(dist) || statSync(dist).mtimeMs < Math.max(newestTs(join(ROOT, 'server')), newestTs(join(ROOT, 'scenario')));
  if (stale) {
    try {
      execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      const err = String((e as { stderr?: Buffer }).stderr ?? e).trim();
      return `node scripts/build.mjs failed: ${err.split('\n').filter((l) => /ERROR/.test(l)).slice(0, 5).join('; ') || err.slice(0, 300)}`;
    }
  }
  return existsSync(dist) ? undefined : 'the build did not produce dist/server.js';
}
