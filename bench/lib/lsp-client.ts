// One small LSP client over stdio, the same for every server the benchmarks
// measure, so that the figures compare servers and not harnesses. It speaks
// JSON-RPC through vscode-jsonrpc (the library vscode-languageclient uses),
// answers the requests a server sends to an editor (configuration, capability
// registration, progress), and puts a time limit on everything it waits for:
// a server that stops answering fails the benchmark with its name and the
// method, never hangs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import {
  CancellationTokenSource,
  ResponseError,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ClientCapabilities,
  InitializeResult,
  PublishDiagnosticsParams,
  ServerCapabilities,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';

export interface ServerSpec {
  /** shown in tables and errors */
  name: string;
  /** a Node script; run with the same Node as the benchmark */
  script: string;
  args: string[];
  /** flags for Node itself, e.g. --cpu-prof */
  nodeArgs?: string[];
  cwd: string;
  /** answers to workspace/configuration, looked up by dotted section */
  settings?: Record<string, unknown>;
  /** extra initializationOptions */
  initializationOptions?: unknown;
}

const TOKEN_TYPES = [
  'namespace', 'type', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'parameter', 'variable', 'property',
  'enumMember', 'event', 'function', 'method', 'macro', 'keyword', 'modifier', 'comment', 'string', 'number', 'regexp',
  'operator', 'decorator',
];
const TOKEN_MODIFIERS = [
  'declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation',
  'defaultLibrary',
];

/** What VS Code 1.100 announces for the features we measure. */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: false, willSave: false },
    completion: {
      completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'], deprecatedSupport: true },
      contextSupport: true,
    },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
    semanticTokens: {
      requests: { full: true, range: true },
      tokenTypes: TOKEN_TYPES,
      tokenModifiers: TOKEN_MODIFIERS,
      formats: ['relative'],
    },
  },
  window: { workDoneProgress: true },
};

function lookup(settings: Record<string, unknown> | undefined, section: string | undefined): unknown {
  if (!settings) return null;
  if (!section) return settings;
  let cur: unknown = settings;
  for (const key of section.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

type DiagnosticsWaiter = { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  capabilities: ServerCapabilities = {};
  private readonly waiters = new Set<DiagnosticsWaiter>();
  private stderr = '';
  private exited: string | undefined;
  private readonly failures = new Set<(e: Error) => void>();

  private constructor(
    readonly spec: ServerSpec,
    private readonly child: ChildProcess,
    private readonly conn: MessageConnection,
  ) {}

  static async start(spec: ServerSpec, timeoutMs = 60_000): Promise<LspClient> {
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.script, ...spec.args], { cwd: spec.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(spec, child, conn);
    child.stderr!.on('data', (d: Buffer) => {
      client.stderr = (client.stderr + d.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      client.exited = `exited with ${signal ?? code}`;
      const err = new Error(`${spec.name} ${client.exited}${client.stderr ? `; stderr: ${client.stderr.trim()}` : ''}`);
      for (const fail of client.failures) fail(err);
    });
    // a closed pipe after exit is reported by the exit handler; do not crash on it
    child.stdin!.on('error', () => undefined);
    conn.onRequest((method, params) => {
      if (method === 'workspace/configuration') {
        const items = (params as { items: { section?: string }[] }).items;
        return items.map((it) => lookup(spec.settings, it.section));
      }
      return null; // registerCapability, workDoneProgress/create, showMessageRequest, ...
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      for (const w of [...client.waiters]) {
        if (w.uri === p.uri && w.accept(p)) {
          client.waiters.delete(w);
          w.resolve(p);
        }
      }
    });
    conn.onError(([e]) => {
      for (const fail of client.failures) fail(e);
    });
    conn.listen();
    const init = await client.request<InitializeResult>(
      'initialize',
      {
        processId: process.pid,
        clientInfo: { name: 'migtrace-bench' },
        rootUri: pathToFileURL(spec.cwd).href,
        workspaceFolders: [{ uri: pathToFileURL(spec.cwd).href, name: 'bench' }],
        capabilities: CLIENT_CAPABILITIES,
        initializationOptions: spec.initializationOptions,
      },
      timeoutMs,
    );
    client.capabilities = init.capabilities;
    await conn.sendNotification('initialized', {});
    if (spec.settings) await conn.sendNotification('workspace/didChangeConfiguration', { settings: spec.settings });
    return client;
  }

  /** Rejects if the server exits or the time runs out first. */
  private guard<T>(work: Promise<T>, what: string, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.spec.name} ${this.exited} before ${what}`));
    return new Promise<T>((resolve, reject) => {
      const fail = (e: Error): void => {
        clearTimeout(timer);
        this.failures.delete(fail);
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`${this.spec.name}: no answer to ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.failures.add(fail);
      work.then(
        (v) => {
          clearTimeout(timer);
          this.failures.delete(fail);
          resolve(v);
        },
        (e: unknown) => fail(e instanceof Error ? e : new Error(`${this.spec.name}: ${what} failed: ${JSON.stringify(e)}`)),
      );
    });
  }

  request<R>(method: string, params: unknown, timeoutMs = 30_000): Promise<R> {
    return this.guard(this.conn.sendRequest<R>(method, params), method, timeoutMs);
  }

  /**
   * Sends a request and cancels it (`$/cancelRequest`) after `cancelAfterMs`;
   * says whether the server honoured the cancellation (LSP error -32800) or
   * answered anyway, and how long the answer took.
   */
  async cancelled(method: string, params: unknown, cancelAfterMs: number, timeoutMs = 120_000): Promise<{ ms: number; outcome: 'cancelled' | 'answered' }> {
    const source = new CancellationTokenSource();
    const t0 = performance.now();
    const pending = this.conn.sendRequest(method, params, source.token);
    const timer = setTimeout(() => source.cancel(), cancelAfterMs);
    try {
      await this.guard(pending, method, timeoutMs);
      return { ms: performance.now() - t0, outcome: 'answered' };
    } catch (e) {
      // -32800 is LSPErrorCodes.RequestCancelled
      if (e instanceof ResponseError && e.code === -32800) return { ms: performance.now() - t0, outcome: 'cancelled' };
      throw e;
    } finally {
      clearTimeout(timer);
      source.dispose();
    }
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** Time one request in milliseconds, from the write to the parsed answer. */
  async timed<R>(method: string, params: unknown, timeoutMs = 30_000): Promise<{ ms: number; result: R }> {
    const t0 = performance.now();
    const result = await this.request<R>(method, params, timeoutMs);
    return { ms: performance.now() - t0, result };
  }

  /** The next publishDiagnostics for `uri` that `accept` takes. Register before sending the change. */
  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 30_000): Promise<PublishDiagnosticsParams> {
    let waiter!: DiagnosticsWaiter;
    const p = new Promise<PublishDiagnosticsParams>((resolve) => {
      waiter = { uri, accept, resolve };
      this.waiters.add(waiter);
    });
    return this.guard(p, `publishDiagnostics for ${uri}`, timeoutMs).finally(() => this.waiters.delete(waiter));
  }

  /** Opens a document and waits for its first diagnostics. */
  async open(uri: string, languageId: string, text: string, timeoutMs = 120_000): Promise<PublishDiagnosticsParams> {
    const first = this.nextDiagnostics(uri, () => true, timeoutMs);
    await this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return first;
  }

  /** Incremental when the server asks for it (TextDocumentSyncKind.Incremental = 2), else the full text. */
  get incremental(): boolean {
    const sync = this.capabilities.textDocumentSync;
    const kind = typeof sync === 'number' ? sync : sync?.change;
    return kind === 2;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null, 5_000);
      await this.notify('exit', null);
    } catch {
      this.child.kill(); // still busy (or broken): stop it rather than wait
    }
    const timer = setTimeout(() => this.child.kill(), 5_000);
    await gone;
    clearTimeout(timer);
    this.conn.dispose();
  }
}
