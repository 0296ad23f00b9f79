// Syntax and semantic diagnostics, pushed after every change. A change to a
// quiet document is published at once (on the next turn of the event loop, so
// changes arriving together cost one analysis); only inside a burst of changes
// is publishing debounced, so that typing costs one analysis per pause. It
// always publishes the analysis of the latest version.

import type { Diagnostic } from 'vscode-languageserver';
import type { Analysis } from '../analysis';
import { toLspDiagnostic } from '../convert';
import type { ServerContext } from '../serverContext';

export function computeDiagnostics(a: Analysis): Diagnostic[] {
  return a.diagnostics.map(toLspDiagnostic);
}

export function registerDiagnostics(ctx: ServerContext, delayMs: number): void {
  const timers = new Map<string, NodeJS.Timeout>();

  const publish = async (uri: string): Promise<void> => {
    timers.delete(uri);
    const a = ctx.analysis(uri);
    if (!a) return;
    let diagnostics: Diagnostic[];
    try {
      // A huge document is parsed and checked in steps; a newer version (which schedules its own publication) or a close ends this one.
      if (!(await a.checkedAsync(() => ctx.analysis(uri) !== a))) return;
      if (ctx.analysis(uri) !== a) return;
      diagnostics = [...computeDiagnostics(a), ...(ctx.engineDiagnostics?.(uri, a.version) ?? [])];
    } catch (err) {
      ctx.log.error(`diagnostics failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return;
    }
    send({ uri, version: a.version, diagnostics });
  };

  // The connection may already be closed when a timer fires (shutdown, a dropped client).
  const send = (p: { uri: string; version?: number; diagnostics: Diagnostic[] }): void => {
    try {
      void ctx.connection.sendDiagnostics(p).catch(() => undefined);
    } catch {
      // nothing left to tell
    }
  };

  /** When each document last changed: a change within delayMs of the previous one is part of a burst. */
  const lastChange = new Map<string, number>();
  const immediate = new Set<string>();
  const schedule = (uri: string): void => {
    const now = performance.now();
    const prev = lastChange.get(uri);
    lastChange.set(uri, now);
    // An immediate publication not yet run will read the latest version anyway (didOpen also fires a change).
    if (immediate.has(uri)) return;
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    const quiet = old === undefined && (prev === undefined || now - prev >= delayMs);
    if (quiet) immediate.add(uri);
    // setTimeout(0) rather than setImmediate so one kind of handle serves both cases.
    timers.set(
      uri,
      setTimeout(() => {
        immediate.delete(uri);
        void publish(uri);
      }, quiet ? 0 : delayMs),
    );
  };

  ctx.refreshDiagnostics = schedule;
  ctx.documents.onDidOpen((e) => schedule(e.document.uri));
  ctx.documents.onDidChangeContent((e) => schedule(e.document.uri));
  ctx.documents.onDidClose((e) => {
    const old = timers.get(e.document.uri);
    if (old) clearTimeout(old);
    timers.delete(e.document.uri);
    lastChange.delete(e.document.uri);
    immediate.delete(e.document.uri);
    send({ uri: e.document.uri, diagnostics: [] });
  });
  ctx.connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });
}
