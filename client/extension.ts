// The extension's entry point. Each feature is a small module with its own
// activate function; later features (the debugger, code lenses, the trace
// timeline) plug in here the same way.
//
// Activation must stay cheap (goal ≤ 100 ms): only the status bar is set up
// synchronously; the language client is loaded and started without blocking.

import type * as vscode from 'vscode';
import { activateStatusBar } from './statusBar';
import { startLanguageClient, stopLanguageClient } from './languageClient';
import { activateDebugger } from './debug';
import { registerLenses } from './lenses';
import { registerCommands } from './commands';
import { registerTimeline } from './timeline/panel';

export function activate(context: vscode.ExtensionContext): void {
  activateStatusBar(context);
  activateDebugger(context);
  registerCommands(context);
  registerTimeline(context);
  const lenses = registerLenses(context);
  // Not awaited: the editor is usable (highlighting, status bar) while the server starts.
  startLanguageClient(context).then(() => lenses.refresh(), (err: unknown) => {
    console.error('migtrace: the language server did not start:', err);
  });
}

export function deactivate(): Promise<void> {
  return stopLanguageClient();
}
