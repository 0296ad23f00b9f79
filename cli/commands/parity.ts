// `migtrace parity <files…> [--kernel 6.1|6.12|path]…`: runs realizable scenarios
// on real kernels in QEMU and compares them with the engine. Progress bar on a
// TTY (boot, run, compare), then a table; exit 0 only if the engine matched every
// kernel it was run on.

import { runParity, type ParityReport } from '../../parity/index';
import { Progress, type CliIo } from '../io';

export const PARITY_USAGE = `usage: migtrace parity <file.mig>… [--kernel 6.1|6.12|path/to/bzImage]…
  Runs each realizable scenario on real Linux kernels in QEMU (Debian's 6.1 and 6.12
  by default; scripts/parity-setup.sh fetches them) and compares return values,
  move_pages status, page nodes, vmstat deltas, the mm_migrate_pages tracepoint and
  the internal migrate_pages() return, the number of try_to_unmap_flush() calls and
  the anon_vma references folio_get_anon_vma() took with the engine's profile for
  that kernel.
  Exit status 0 only if the engine matches every kernel it ran on.`;

export function parseParityArgs(argv: string[]): { files: string[]; kernels: string[] } | { error: string } {
  const files: string[] = [];
  const kernels: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kernel' || a === '-k') {
      const v = argv[++i];
      if (!v) return { error: '--kernel needs a value (6.1, 6.12 or an image path)' };
      kernels.push(v);
    } else if (a.startsWith('--kernel=')) kernels.push(a.slice('--kernel='.length));
    else if (a === '-h' || a === '--help') return { error: PARITY_USAGE };
    else if (a.startsWith('-')) return { error: `unknown option ${a}\n${PARITY_USAGE}` };
    else files.push(a);
  }
  if (files.length === 0) return { error: `no scenario files\n${PARITY_USAGE}` };
  return { files, kernels };
}

/** The result table and the differences, as plain text. */
export function formatReport(r: ParityReport): string {
  const lines: string[] = [];
  for (const k of r.kernels) {
    const mv = k.movableBytes > 0n ? ` movablecore=${k.movableBytes >> 20n}M` : '';
    lines.push(`kernel ${k.label}${mv} (${k.boot?.uname ?? k.image}) vs engine ${k.profile}: ${k.ok ? 'ran' : `FAILED: ${k.error}`} in ${(k.ms / 1000).toFixed(1)} s, ${k.attempts} boot${k.attempts > 1 ? 's' : ''}`);
  }
  lines.push('');
  const labels = [...new Set(r.kernels.map((k) => k.label))];
  const wFile = Math.max(8, ...r.scenarios.map((s) => s.file.length));
  lines.push(`${'scenario'.padEnd(wFile)}  ${labels.map((l) => l.padEnd(8)).join(' ')}  result`);
  for (const s of r.scenarios) {
    const per = labels.map((l) => {
      if (s.status === 'refused') return 'refused';
      if (s.status === 'error') return 'error';
      return s.differences.some((d) => d.kernelLabel === l) ? 'DIFFERS' : 'match';
    });
    lines.push(`${s.file.padEnd(wFile)}  ${per.map((x) => x.padEnd(8)).join(' ')}  ${s.status}${s.reason ? `: ${s.reason}` : ''}`);
  }
  const withDiffs = r.scenarios.filter((s) => s.differences.length);
  if (withDiffs.length) {
    lines.push('', 'differences (scenario:line  field: engine value | kernel value):');
    for (const s of withDiffs) {
      // one row per line and field: the engine's value per profile and each kernel's value
      const rows = new Map<string, string[]>();
      for (const d of s.differences) {
        const key = `${s.file}:${d.line + 1}  ${d.field}`;
        rows.set(key, [...(rows.get(key) ?? []), `engine ${d.profile} ${d.engine} | kernel ${d.kernelLabel} ${d.kernel}`]);
      }
      for (const [key, vals] of rows) lines.push(`  ${key}: ${vals.join('; ')}`);
    }
  }
  const n = (st: string) => r.scenarios.filter((s) => s.status === st).length;
  lines.push('', `${n('match')} match, ${n('differ')} differ, ${n('refused')} refused (model-only), ${n('error')} not run — ${(r.ms / 1000).toFixed(1)} s`);
  return lines.join('\n') + '\n';
}

export async function parityCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(PARITY_USAGE);
    return 0;
  }
  const a = parseParityArgs(argv);
  if ('error' in a) {
    io.err(a.error);
    return 2;
  }
  let report: ParityReport;
  const bar = new Progress(io, 'parity');
  try {
    report = await runParity(a.files, {
      kernels: a.kernels,
      onProgress: (p) => {
        // boot, run, compare: on a terminal one bar redrawn in place, else one line per step
        if (io.tty) bar.update(p.done, p.total, `${p.phase}: ${p.message}`);
        else if (p.phase !== 'done') io.err(`parity: ${p.phase}: ${p.message}`);
      },
    });
  } catch (e) {
    if (io.tty) process.stderr.write('\n');
    io.err(`parity: ${(e as Error).message}`);
    return 2;
  }
  if (io.tty) process.stderr.write('\n');
  io.out(formatReport(report));
  return report.ok ? 0 : 1;
}

