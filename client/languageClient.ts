// Starts dist/server.js over IPC. vscode-languageclient is its own chunk (dist/client-lsp.js),
// loaded when the client starts.

import type * as vscode from 'vscode';
import { loadLsp } from './chunks';
import type { LanguageClient } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const lc = loadLsp();
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: import('vscode-languageclient/node').ServerOptions = {
    run: { module, transport: lc.TransportKind.ipc },
    debug: { module, transport: lc.TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  client = new lc.LanguageClient(
    'migtrace',
    'migtrace language server',
    serverOptions,
    {
      documentSelector: [
        { scheme: 'file', language: 'migscenario' },
        { scheme: 'untitled', language: 'migscenario' },
      ],
      synchronize: { configurationSection: 'migtrace' },
    },
  );
  await client.start();
  return client;
}

/** The running client, for the lens commands' requests (undefined until it has started). */
export function languageClient(): LanguageClient | undefined {
  return client?.isRunning() ? client : undefined;
}

export async function stopLanguageClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
