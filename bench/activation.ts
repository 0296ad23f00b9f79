// Extension activation time in a real VS Code (code-server 4.100.3 = VS Code
// 1.100.3), read from VS Code's own bookkeeping: the "Running Extensions" view
// shows, per extension, "Activation: N ms" = code loading + the activate() call
// (ExtensionActivationTimes, measured in the extension host). Like with like:
// the peer is the built-in JSON language features extension, which also
// activates on opening a file of its language and starts a language server.
// Each run uses a fresh server and user-data dir, so nothing is warm but the OS
// file cache. Usage: npx tsx bench/activation.ts [runs]   (default 3)
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, ROOT, Workbench, exampleFiles, packageVsix } from '../test/e2e/harness';

const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`activation: "${process.argv[2]}" is not a number of runs`);
  process.exit(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const out = join(ROOT, 'bench', 'out');
  mkdirSync(out, { recursive: true });
  const vsix = packageVsix(join(out, 'migtrace.vsix'));
  const example = exampleFiles()[0];
  if (!example) throw new Error('examples/ holds no .mig file to open');

  // A workspace with one scenario and one JSON file, so both extensions
  // activate the same way: on opening a file of their language.
  const folder = mkdtempSync(join(out, 'workspace-'));
  copyFileSync(join(EXAMPLES, example), join(folder, 'scenario.mig'));
  writeFileSync(join(folder, 'settings.json'), JSON.stringify({ a: 1, b: [1, 2, 3] }, null, 2));

  const ours: number[] = [];
  const peer: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const wb = await Workbench.launch({ name: 'bench-activation', vsix, folder });
      try {
        await wb.openFile('scenario.mig');
        await wb.openFile('settings.json');
        ours.push((await wb.runningExtension('migtrace')).ms);
        peer.push((await wb.runningExtension('JSON Language Features')).ms);
        if (i === 0) await wb.screenshot('running-extensions');
      } finally {
        await wb.stop();
      }
      console.log(`run ${i + 1}: migtrace ${ours[i]} ms, JSON Language Features ${peer[i]} ms`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }

  const kib = statSync(vsix).size / 1024;
  console.log('');
  console.log(`| figure | migtrace | peer (built-in JSON Language Features) |`);
  console.log(`|---|---|---|`);
  console.log(`| activation (code loading + activate(), median of ${runs}) | ${median(ours)} ms | ${median(peer)} ms |`);
  console.log(`| .vsix size | ${kib.toFixed(1)} KiB | — |`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
