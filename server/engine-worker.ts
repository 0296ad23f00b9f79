// The worker thread that runs the engine for the language server (bundled to
// dist/engine-worker.js). A run can take seconds; in a worker the server keeps
// answering, and a run whose text is stale can be ended with terminate().

import { parentPort } from 'node:worker_threads';
import { runReport, compareReport, type RunJob, type CompareJob } from './engine-report';

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
