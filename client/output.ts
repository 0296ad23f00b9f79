// The "migtrace" output channel, created on first use (not at activation).

import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function output(): vscode.OutputChannel {
  return (channel ??= vscode.window.createOutputChannel('migtrace'));
}

/** Appends a titled block and brings the channel forward without taking the focus. */
export function showBlock(title: string, text: string): void {
  const c = output();
  c.appendLine(`── ${title} (${new Date().toLocaleTimeString()})`);
  c.append(text.endsWith('\n') ? text : `${text}\n`);
  c.show(true);
}
