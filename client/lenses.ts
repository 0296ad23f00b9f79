// Code lenses on each scenario: ▶ Run, Debug and Check on real kernel on the
// `scenario` line, Compare 6.1 ↔ 6.12 on each operation whose result differs
// between the two profiles. What to offer comes from the language server
// (operation lines, realizability, the comparison), never from a second parser.

import * as vscode from 'vscode';
import { languageClient } from './languageClient';

interface LensInfo {
  scenarioLine: number;
  operations: number[];
  realizable: { ok: true } | { ok: false; line: number; reason: string };
  errors: boolean;
}
interface CompareReport {
  a: string;
  b: string;
  differing: number[];
}

const A = '6.1';
const B = '6.12';

/** The operation a differing line belongs to: itself, or the operation above its expect line. */
export function operationOf(line: number, operations: number[]): number | undefined {
  let best: number | undefined;
  for (const o of operations) if (o <= line && (best === undefined || o > best)) best = o;
  return best;
}

class ScenarioLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const c = languageClient();
    if (!c) return [];
    const uri = doc.uri.toString();
    const info = await c.sendRequest<LensInfo>('migtrace/lensInfo', { uri }, token);
    if (token.isCancellationRequested || info.errors) return [];
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const top = at(info.scenarioLine);
    const lenses = [
      new vscode.CodeLens(top, { title: '▶ Run', command: 'migtrace.run', arguments: [doc.uri], tooltip: 'Run the scenario with the engine; results in the migtrace output channel and as hints' }),
      new vscode.CodeLens(top, { title: 'Debug', command: 'migtrace.debug', arguments: [doc.uri], tooltip: 'Start the migtrace trace debugger on this file' }),
    ];
    if (!vscode.workspace.isTrusted) {
      lenses.push(new vscode.CodeLens(top, { title: 'Check on real kernel: trust the workspace first', command: 'workbench.trust.manage', tooltip: 'Running on a real kernel starts QEMU; it is only offered in a trusted workspace' }));
    } else if (info.realizable.ok) {
      lenses.push(new vscode.CodeLens(top, { title: 'Check on real kernel', command: 'migtrace.checkOnRealKernel', arguments: [doc.uri], tooltip: 'Run this scenario on Linux 6.1 and 6.12 in QEMU and compare with the engine' }));
    } else {
      const why = info.realizable;
      lenses.push(new vscode.CodeLens(top, { title: `Real kernel: not realizable (line ${why.line + 1})`, command: '', tooltip: why.reason }));
    }
    try {
      const cmp = await c.sendRequest<CompareReport | null>('migtrace/compare', { uri, a: A, b: B }, token);
      const ops = new Set<number>();
      for (const l of cmp?.differing ?? []) {
        const o = operationOf(l, info.operations);
        ops.add(o ?? info.scenarioLine);
      }
      for (const o of ops) lenses.push(new vscode.CodeLens(at(o), { title: `Compare ${A} ↔ ${B}`, command: 'migtrace.compareProfiles', arguments: [doc.uri, A, B], tooltip: `The result differs between kernel ${A} and ${B}: open the diff report` }));
    } catch {
      // no comparison within the budget: no Compare lens
    }
    return lenses;
  }
}

/** Registers the lenses; refresh() once the language server is up (they are empty before). */
export function registerLenses(context: vscode.ExtensionContext): { refresh(): void } {
  const provider = new ScenarioLenses();
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider({ language: 'migscenario' }, provider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
  );
  return provider;
}
