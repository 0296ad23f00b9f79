// An in-process language server and an LSP client talking over in-memory
// streams: the same JSON-RPC messages VS Code sends, without a process.

import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { PublishDiagnosticsParams, InitializeResult } from 'vscode-languageserver-protocol';
import { createServer, type ServerOptions } from '../../server/server';

export interface Harness {
  client: MessageConnection;
  init: InitializeResult;
  /** Opens a document; returns its uri. */
  open(text: string, name?: string): Promise<string>;
  change(uri: string, text: string): Promise<void>;
  /** Resolves with the first diagnostics published for uri at version >= minVersion. */
  diagnostics(uri: string, minVersion?: number, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  request<R>(method: string, params: unknown): Promise<R>;
  /** The latest diagnostics published for uri (later runs re-publish the same version). */
  lastDiagnostics(uri: string): PublishDiagnosticsParams | undefined;
  logs: string[];
  close(): Promise<void>;
}

let counter = 0;

export async function startHarness(opts: { diagnosticsDelayMs?: number; engine?: ServerOptions['engine'] } = {}): Promise<Harness> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConn = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  createServer(serverConn, { diagnosticsDelayMs: opts.diagnosticsDelayMs ?? 5, engine: opts.engine });
  serverConn.listen();

  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  const logs: string[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  client.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  client.listen();

  const init = await client.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await client.sendNotification('initialized', {});
  const versions = new Map<string, number>();

  const h: Harness = {
    client,
    init,
    logs,
    async open(text, name) {
      const uri = `file:///test/${name ?? `doc${++counter}`}.mig`;
      versions.set(uri, 1);
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'migscenario', version: 1, text } });
      return uri;
    },
    async change(uri, text) {
      const v = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, v);
      await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
    },
    diagnostics(uri, minVersion = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${minVersion} within ${timeoutMs} ms`)), timeoutMs);
        const look = (): void => {
          const hit = published.find((p) => p.uri === uri && (p.version ?? 0) >= minVersion);
          if (hit) {
            clearTimeout(timer);
            resolve(hit);
          } else waiters.push(look);
        };
        look();
      });
    },
    lastDiagnostics(uri) {
      return published.filter((p) => p.uri === uri).pop();
    },
    request(method, params) {
      return client.sendRequest(method, params);
    },
    async close() {
      try {
        await client.sendRequest('shutdown');
      } catch {
        // the server may already be gone
      }
      client.dispose();
      serverConn.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  };
  return h;
}

/** `text` with a `‸` marking the cursor: the text without it, and the cursor's position. */
export function cursor(marked: string): { text: string; position: { line: number; character: number } } {
  const i = marked.indexOf('‸');
  if (i < 0) throw new Error('no ‸ cursor marker');
  const before = marked.slice(0, i);
  const lines = before.split('\n');
  return { text: before + marked.slice(i + 1), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}
