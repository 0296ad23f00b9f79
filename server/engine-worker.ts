// The worker thread that runs the engine for the language server (bundled to
// dist/engine-worker.js). A run can take seconds; in a worker the server keeps
// answering, and a run whose text is stale can be ended with terminate().

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { runReport, compareReport, type RunJob, type CompareJob } from './engine-report';

/**
 * This thread only, at a lower priority (nice 10): while a run keeps it busy, the server's main
 * thread (completion, hover, diagnostics) and the editor win the CPU when both want it. On Linux
 * a thread's id is a valid target of setpriority; elsewhere (or if refused) it runs as it is.
 */
function lowerThisThreadsPriority(): void {
  try {
    const tid = Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    if (tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or no /proc: the run simply competes as before
  }
}
lowerThisThreadsPriority();

export type WorkerRequest = { id: number; kind: 'run'; job: RunJob } | { id: number; kind: 'compare'; job: CompareJob };
export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

parentPort?.on('message', (m: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    const value = m.kind === 'run' ? runReport(m.job) : compareReport(m.job);
    reply = { id: m.id, ok: true, value };
  } catch (e) {
    reply = { id: m.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort?.postMessage(reply);
});
