// Every request handler goes through `guard`: it yields to the event loop first
// (so that queued didChange and $/cancelRequest notifications are applied and
// the answer is computed against the latest text), honours cancellation, and
// never lets an exception escape to the client: a failure is logged and the
// request answered with an empty result.

import { CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { Superseded } from './analysis';

export interface Logger {
  error(message: string): void;
}

/** Thrown between steps of a long computation when the client has cancelled the request. */
export class Cancelled extends Error {
  constructor() {
    super('request cancelled');
  }
}

export function checkCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new Cancelled();
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `each(from, to)` over [0, n) in chunks of `chunk`, yielding to the event loop between
 * chunks and throwing Cancelled there once the request is cancelled: a long answer on a huge
 * document stops within one chunk.
 */
export async function inChunksCancellable(n: number, chunk: number, token: CancellationToken, each: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < n; from += chunk) {
    if (from > 0) {
      await tick();
      checkCancelled(token);
    }
    each(from, Math.min(n, from + chunk));
  }
}

export function guard<P, R>(
  log: Logger,
  name: string,
  fallback: R,
  fn: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R> {
  return async (params, token) => {
    try {
      await tick();
      checkCancelled(token);
      return await fn(params, token);
    } catch (err) {
      // The protocol's answer to a cancelled request is this error, whatever the request's result type.
      if (err instanceof Cancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled') as unknown as R;
      // A request on a version the user has since edited: the protocol's answer, and the client asks again.
      if (err instanceof Superseded) return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed') as unknown as R;
      log.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}
