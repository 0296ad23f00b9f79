// Size of the packaged extension (`npm run package`), with the bytes per file,
// largest first, so a bundle that suddenly pulls in a dependency shows up.
// Usage: npx tsx bench/vsix-size.ts
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, packageVsix } from '../test/e2e/harness';
import { zipEntrySizes } from '../test/e2e/vsix';

async function main(): Promise<void> {
  const out = join(ROOT, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const vsix = packageVsix(join(out, 'migtrace.vsix'));
  const entries = (await zipEntrySizes(vsix)).sort((a, b) => b.compressed - a.compressed);
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log('| file | size | in the .vsix |');
  console.log('|---|---:|---:|');
  for (const e of entries) console.log(`| ${e.name} | ${kib(e.size)} | ${kib(e.compressed)} |`);
  const total = entries.reduce((n, e) => n + e.size, 0);
  console.log(`| **.vsix (${entries.length} files)** | ${kib(total)} | **${kib(statSync(vsix).size)}** |`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
