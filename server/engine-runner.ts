// Runs engine jobs in one worker thread, one job at a time, in order. A job can
// be abandoned (its text went stale): queued, it is dropped; running, the worker
// is terminated and a fresh one starts for the next job. A job that outlives its
// hard limit is ended the same way, so no scenario can hold the server.

import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerReply, WorkerRequest } from './engine-worker';

/** The worker script next to this module: dist/engine-worker.js in the bundle, the .ts under tsx. */
function workerFile(): string {
  const js = join(__dirname, 'engine-worker.js');
  return existsSync(js) ? js : join(__dirname, 'engine-worker.ts');
}

export class JobAbandoned extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

interface Pending {
  id: number;
  key: string;
  req: WorkerRequest;
  hardLimitMs: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export class EngineRunner {
  private worker: Worker | undefined;
  private queue: Pending[] = [];
  private current: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  /** workers started so far (tests check that an abandoned run really ended one) */
  started = 0;
  terminated = 0;

  /** Queues a job; `key` groups jobs that supersede each other (e.g. a document's uri). */
  submit<T>(key: string, req: Omit<WorkerRequest, 'id'>, hardLimitMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      this.queue.push({ id, key, req: { ...req, id } as WorkerRequest, hardLimitMs, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Abandons every queued or running job of `key`. */
  cancel(key: string, reason = 'the text changed'): void {
    const dropped = this.queue.filter((p) => p.key === key);
    this.queue = this.queue.filter((p) => p.key !== key);
    for (const p of dropped) p.reject(new JobAbandoned(reason));
    if (this.current?.key === key) this.kill(new JobAbandoned(reason));
  }

  dispose(): void {
    for (const p of this.queue.splice(0)) p.reject(new JobAbandoned('the server is shutting down'));
    if (this.current) this.kill(new JobAbandoned('the server is shutting down'));
    else if (this.worker) void this.worker.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const p = this.queue.shift()!;
    this.current = p;
    const w = this.ensureWorker();
    this.timer = setTimeout(() => this.kill(new JobAbandoned(`the run took longer than ${p.hardLimitMs} ms`)), p.hardLimitMs);
    w.postMessage(p.req);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = workerFile();
    // from sources (tests under tsx) the worker needs the TypeScript loader too
    const w = file.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true }) : new Worker(file);
    this.started++;
    w.unref(); // an idle worker must not keep the server process alive
    w.on('message', (m: WorkerReply) => {
      const p = this.current;
      if (!p || p.id !== m.id) return;
      this.finish();
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
      this.pump();
    });
    w.on('error', (e) => this.fail(w, e));
    w.on('exit', (code) => this.fail(w, new Error(`the engine worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  private fail(w: Worker, e: Error): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    const p = this.current;
    this.finish();
    p?.reject(e);
    this.pump();
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = undefined;
  }

  private kill(e: Error): void {
    const p = this.current;
    const w = this.worker;
    this.worker = undefined;
    this.finish();
    if (w) {
      this.terminated++;
      void w.terminate();
    }
    p?.reject(e);
    this.pump();
  }
}
