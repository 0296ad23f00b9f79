// `npm run package`: production build, then `vsce package` into migtrace-<version>.vsix
// (or the path given with --out). Any vsce warning fails the run: a warning
// today (missing LICENSE, unbundled files, template README) is a broken
// Marketplace page or a slow extension tomorrow.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = resolve(root, outArg > 0 ? process.argv[outArg + 1] : `${manifest.name}-${manifest.version}.vsix`);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    process.stderr.write(text);
    console.error(`package: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
  return text;
}

process.stdout.write(run(process.execPath, ['scripts/build.mjs', '--production']));

mkdirSync(dirname(out), { recursive: true });
// --no-dependencies: everything is bundled by esbuild, node_modules is not shipped,
// so vsce need not walk the npm tree.
const vsce = join(root, 'node_modules', '.bin', 'vsce');
// The README's screenshot is a relative link (media/screenshot.png is not shipped); the
// repository is not on GitHub/GitLab, so vsce is told where the images are served.
const images = `${manifest.repository.url.replace(/\.git$/, '')}/raw/HEAD`;
const log = run(vsce, ['package', '--no-dependencies', '--baseImagesUrl', images, '--out', out]);
const warnings = log.split('\n').filter((l) => /\bWARNING\b/i.test(l));
if (warnings.length) {
  process.stderr.write(log);
  rmSync(out, { force: true });
  console.error(`package: vsce printed ${warnings.length} warning(s); fix them rather than ship them`);
  process.exit(1);
}
const bytes = statSync(out).size;
console.log(`packaged ${out} (${(bytes / 1024).toFixed(1)} KiB)`);
