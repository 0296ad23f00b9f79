// Starts dist/server.js over IPC. vscode-languageclient is required lazily so that
// activation stays cheap: the require happens after activate() has returned.

import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lc = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
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
