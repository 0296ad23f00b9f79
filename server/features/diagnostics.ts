// Syntax and semantic diagnostics, pushed after every change. Pushing is
// debounced per document so that a burst of keystrokes costs one analysis, and
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

  const publish = (uri: string): void => {
    timers.delete(uri);
    const a = ctx.analysis(uri);
    if (!a) return;
    let diagnostics: Diagnostic[];
    try {
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

  const schedule = (uri: string): void => {
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    timers.set(uri, setTimeout(() => publish(uri), delayMs));
  };

  ctx.refreshDiagnostics = schedule;
  ctx.documents.onDidOpen((e) => schedule(e.document.uri));
  ctx.documents.onDidChangeContent((e) => schedule(e.document.uri));
  ctx.documents.onDidClose((e) => {
    const old = timers.get(e.document.uri);
    if (old) clearTimeout(old);
    timers.delete(e.document.uri);
    send({ uri: e.document.uri, diagnostics: [] });
  });
  ctx.connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });
}
