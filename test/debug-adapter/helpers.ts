// DebugClient helpers: run the standalone adapter (dist/debug-adapter.js, built
// if missing or older than its sources) and drive it like an editor would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const ADAPTER = path.join(ROOT, 'dist', 'debug-adapter.js');
export const EXAMPLES = path.join(ROOT, 'examples');
export const DATA = path.join(__dirname, 'data');

function newestSource(dir: string): number {
  let m = 0;
  if (!existsSync(dir)) return 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const s = statSync(p);
    m = Math.max(m, s.isDirectory() ? newestSource(p) : name.endsWith('.ts') ? s.mtimeMs : 0);
  }
  return m;
}

/** Builds dist/ when the adapter bundle is missing or older than scenario/, engine/ or debug-adapter/. */
export function ensureBuilt(): void {
  const built = existsSync(ADAPTER) ? statSync(ADAPTER).mtimeMs : 0;
  const src = Math.max(...['scenario', 'engine', 'debug-adapter'].map((d) => newestSource(path.join(ROOT, d))));
  if (built >= src) return;
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A client on a fresh standalone adapter over stdio; `output` collects Debug Console text. */
export async function startClient(): Promise<{ dc: DebugClient; output: string[] }> {
  ensureBuilt();
  const dc = new DebugClient('node', ADAPTER, 'migtrace', { cwd: ROOT }, true);
  const output: string[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
  await dc.start();
  return { dc, output };
}

/** One adapter process in server mode; each client connects with its own session (the randomized test). */
export async function startServer(): Promise<{ port: number; proc: ChildProcess }> {
  ensureBuilt();
  const proc = spawn(process.execPath, [ADAPTER, '--server=0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    proc.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      const m = /listening on (\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (c) => reject(new Error(`adapter exited (${c}): ${err}`)));
  });
  return { port, proc };
}

export interface LaunchOpts {
  program: string;
  kernel?: string;
  stopOnEntry?: boolean;
  /** set breakpoints between `initialized` and `configurationDone`, as an editor does */
  setup?: (dc: DebugClient) => Promise<unknown>;
}

/** Launches and returns the first stop. */
export async function launch(dc: DebugClient, o: LaunchOpts): Promise<DebugProtocol.StoppedEvent> {
  const initialized = dc.waitForEvent('initialized', 30000);
  const stopped = dc.waitForEvent('stopped', 60000) as Promise<DebugProtocol.StoppedEvent>;
  const launched = dc.launch({ program: o.program, kernel: o.kernel, stopOnEntry: o.stopOnEntry ?? true });
  launched.catch(() => undefined);
  await initialized;
  if (o.setup) await o.setup(dc);
  await dc.configurationDoneRequest();
  await launched;
  return stopped;
}

/** Sends a move request and waits for the stop it causes. */
export async function move(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped', 60000) as Promise<DebugProtocol.StoppedEvent>;
  await send();
  return stopped;
}

export async function topFrame(dc: DebugClient, threadId = 1): Promise<DebugProtocol.StackFrame[]> {
  return (await dc.stackTraceRequest({ threadId })).body.stackFrames;
}

export async function evalText(dc: DebugClient, expression: string, context = 'watch'): Promise<string> {
  return (await dc.evaluateRequest({ expression, context })).body.result;
}

export async function scope(dc: DebugClient, frameId: number, name: string): Promise<DebugProtocol.Variable[]> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const s = scopes.find((x) => x.name === name || x.name.startsWith(name));
  if (!s) throw new Error(`no scope ${name} in ${scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

/**
 * Everything the Variables view can show at the current stop, expanded (lists,
 * folios, page tables, stats) up to `limit` children per level, without the
 * per-stop handles and change marks: two stops at the same event must give equal trees.
 */
export async function snapshot(dc: DebugClient, limit = 200): Promise<unknown> {
  const frames = await topFrame(dc);
  const out: Record<string, unknown> = { frames: frames.map((f) => [f.name, f.line]) };
  const expand = async (ref: number, depth: number): Promise<unknown> => {
    if (!ref || depth > 5) return undefined;
    const vars = (await dc.variablesRequest({ variablesReference: ref, start: 0, count: limit })).body.variables;
    const o: unknown[] = [];
    for (const v of vars.slice(0, limit)) o.push([v.name, v.value, await expand(v.variablesReference, depth + 1)]);
    return o;
  };
  for (const f of frames) {
    const scopes = (await dc.scopesRequest({ frameId: f.id })).body.scopes;
    for (const s of scopes) out[`${f.id}/${s.name}`] = await expand(s.variablesReference, 0);
  }
  return out;
}

export function ex(name: string): string {
  return path.join(EXAMPLES, name);
}
