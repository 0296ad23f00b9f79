// A readable bundle of our language server for profiling: the same entry and
// options as scripts/build.mjs, but never minified and with names kept, so that
// a .cpuprofile names real functions. Each function is mapped back to its
// source file through the `// path/to/file.ts` markers esbuild writes between
// modules of an unminified bundle.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export async function buildProfiledServer(outDir: string): Promise<string> {
  const outfile = join(outDir, 'server.js');
  await build({
    entryPoints: [join(ROOT, 'server', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    keepNames: true,
    sourcemap: false,
    logLevel: 'error',
  });
  return outfile;
}

/** Maps a 1-based line of the bundle to the source file it came from. */
export function sourceOfLine(bundle: string): (line: number) => string {
  const markers: { line: number; file: string }[] = [];
  readFileSync(bundle, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /^\/\/ ((?:[\w.@-]+\/)*[\w.@-]+\.[cm]?[jt]s)$/.exec(text);
      if (m) markers.push({ line: i + 1, file: m[1]! });
    });
  return (line) => {
    let lo = 0;
    let hi = markers.length - 1;
    let found = '';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid]!.line <= line) {
        found = markers[mid]!.file;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}
