// Reads the runner's JSON-lines output (parity/runner/FORMAT.md) into per-case results.

export interface TraceLine {
  pid: number;
  own: boolean;
  succeeded?: number;
  failed?: number;
  thp_succeeded?: number;
  thp_failed?: number;
  thp_split?: number;
  /** 6.10+ only */
  split?: number;
  mode?: string;
  reason?: string;
}

export interface KretLine {
  pid: number;
  own: boolean;
  ret: number;
  from: string;
}

export interface KernelOp {
  line: number; // 1-based, as in the action list
  kind: string;
  ret?: number;
  errno?: number;
  errname?: string;
  status?: (number | string)[] | null;
  vmstat: Record<string, number>;
  trace: TraceLine[];
  kret: KretLine[];
  /** the caller's calls of try_to_unmap_flush() (kprobe p_unmap_flush); absent when the probe could not be set */
  unmap_flush?: number;
  /** the caller's folio_get_anon_vma() calls that returned an anon_vma (kretprobe r_anon_vma); absent when the probe could not be set */
  anon_vma_refs?: number;
  ms: number;
  timeout?: boolean;
  died?: boolean;
  pinned?: number;
}

export interface KernelAct {
  line: number;
  verb: string;
  ret?: number;
  errno?: number;
  errname?: string;
  error?: string;
  timeout?: boolean;
  died?: boolean;
}

export interface KernelPage {
  line: number;
  op: number;
  proc: string;
  nodes: (number | string)[];
}

export interface KernelCase {
  id: string;
  ops: Map<number, KernelOp>;
  acts: KernelAct[];
  pages: Map<number, KernelPage>;
  ended: boolean;
  ok: boolean;
}

export interface BootInfo {
  uname: string;
  nodes: number[];
  event: boolean;
  kprobe: boolean;
  /** the try_to_unmap_flush() kprobe is set */
  flushprobe?: boolean;
  /** the folio_get_anon_vma() kretprobe is set */
  anonprobe?: boolean;
  movable: number[];
  own_pages: number[];
}

export interface RunnerOutput {
  boot?: BootInfo;
  cases: Map<string, KernelCase>;
  /** lines that are neither JSON nor markers (kernel noise would land here) */
  junk: string[];
}

/** Case ids are the action-list file names: `/cases/c003.act` → `c003`. */
function caseId(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.act$/, '');
}

export function parseRunnerOutput(text: string): RunnerOutput {
  const out: RunnerOutput = { cases: new Map(), junk: [] };
  const byName = new Map<string, KernelCase>();
  let cur: KernelCase | undefined;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('@@MIGTRACE')) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l) as Record<string, unknown>;
    } catch {
      out.junk.push(l);
      continue;
    }
    switch (o.t) {
      case 'boot':
        out.boot = o as unknown as BootInfo;
        break;
      case 'case': {
        const id = caseId(String(o.file));
        cur = { id, ops: new Map(), acts: [], pages: new Map(), ended: false, ok: false };
        out.cases.set(id, cur);
        byName.set(String(o.case), cur);
        break;
      }
      case 'op':
        cur?.ops.set(Number(o.line), o as unknown as KernelOp);
        break;
      case 'act':
        cur?.acts.push(o as unknown as KernelAct);
        break;
      case 'page':
        cur?.pages.set(Number(o.line), o as unknown as KernelPage);
        break;
      case 'end': {
        const c = o.file ? out.cases.get(caseId(String(o.file))) : cur;
        if (c) {
          c.ended = true;
          c.ok = o.ok === true;
        }
        break;
      }
    }
  }
  return out;
}
