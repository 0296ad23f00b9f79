// The commands behind the code lenses: ▶ Run (output channel + hints), Debug,
// Compare 6.1 ↔ 6.12 (a read-only diff document), Check on real kernel (the
// parity harness, with progress and diagnostics). The engine runs in the
// language server; the client only asks and shows.

import * as vscode from 'vscode';
import { languageClient } from './languageClient';
import { showBlock } from './output';

export const DIFF_SCHEME = 'migtrace-diff';

interface EngineReport {
  text: string;
}
interface CompareReport {
  a: string;
  b: string;
  text: string;
}
interface ParityAnswer {
  status: string;
  reason?: string;
  differences: { line: number; message: string }[];
  text: string;
}

function client() {
  const c = languageClient();
  if (!c) throw new Error('the migtrace language server is still starting; try again in a moment');
  return c;
}

/** The scenario a command is about: the argument (from a lens) or the active editor. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const ed = vscode.window.activeTextEditor;
  return ed && ed.document.languageId === 'migscenario' ? ed.document.uri : undefined;
}

async function withScenario(arg: unknown, what: string, f: (uri: vscode.Uri) => Promise<void>): Promise<void> {
  const uri = targetUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage(`migtrace: open a .mig scenario to ${what}.`);
    return;
  }
  try {
    await vscode.workspace.openTextDocument(uri); // the server needs it open
    await f(uri);
  } catch (e) {
    void vscode.window.showErrorMessage(`migtrace: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The walkthrough's first scenario (media/walkthrough/1-first-scenario.md shows the same text). */
export const FIRST_SCENARIO = `scenario "contended folio"
kernel 6.12
node 0 memory 1G
node 1 memory 1G
folio A order 0 node 0 anon lru
folio B order 0 node 0 anon lru
inject lock B held passes 0..3  # another task holds B's lock for four passes
migrate_pages [A, B] to node 1 mode MIGRATE_SYNC
  expect return 0
  expect event EAGAIN on B count 3
`;

/** The diff reports, by virtual document uri; read-only by construction. */
const diffs = new Map<string, string>();
const diffChanged = new vscode.EventEmitter<vscode.Uri>();

export function registerCommands(context: vscode.ExtensionContext): void {
  const parity = vscode.languages.createDiagnosticCollection('migtrace-parity');
  context.subscriptions.push(
    parity,
    diffChanged,
    vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, { onDidChange: diffChanged.event, provideTextDocumentContent: (u) => diffs.get(u.toString()) ?? '' }),
    vscode.workspace.onDidChangeTextDocument((e) => parity.delete(e.document.uri)),

    vscode.commands.registerCommand('migtrace.newScenario', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'migscenario', content: FIRST_SCENARIO });
      await vscode.window.showTextDocument(doc);
    }),

    vscode.commands.registerCommand('migtrace.run', (arg?: unknown) =>
      withScenario(arg, 'run the scenario', async (uri) => {
        const r = await client().sendRequest<EngineReport>('migtrace/run', { uri: uri.toString() });
        showBlock('migtrace run', r.text);
      }),
    ),

    vscode.commands.registerCommand('migtrace.debug', (arg?: unknown) =>
      withScenario(arg, 'debug the scenario', async (uri) => {
        if (uri.scheme !== 'file') {
          void vscode.window.showWarningMessage('migtrace: save the scenario to a .mig file first; the debugger runs files.');
          return;
        }
        const folder = vscode.workspace.getWorkspaceFolder(uri);
        await vscode.debug.startDebugging(folder, { type: 'migtrace', request: 'launch', name: 'Debug scenario', program: uri.fsPath, stopOnEntry: true });
      }),
    ),

    vscode.commands.registerCommand('migtrace.compareProfiles', (arg?: unknown, a = '6.1', b = '6.12') =>
      withScenario(arg, 'compare kernel profiles', async (uri) => {
        const r = await client().sendRequest<CompareReport | null>('migtrace/compare', { uri: uri.toString(), a, b });
        if (!r) return;
        const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
        const doc = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${name} ${r.a} ↔ ${r.b}.diff.txt` });
        diffs.set(doc.toString(), r.text);
        diffChanged.fire(doc);
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      }),
    ),

    vscode.commands.registerCommand('migtrace.checkOnRealKernel', (arg?: unknown) =>
      withScenario(arg, 'check on a real kernel', async (uri) => {
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage('migtrace: running a scenario on a real kernel starts QEMU; trust this workspace first.');
          return;
        }
        const c = client();
        const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'migtrace: real kernel' }, async (progress) => {
          let last = 0;
          const sub = c.onNotification('migtrace/parityProgress', (p: { uri: string; phase: string; done: number; total: number; message: string }) => {
            if (p.uri !== uri.toString()) return;
            const pct = Math.round((100 * p.done) / Math.max(1, p.total));
            progress.report({ message: `${p.phase}: ${p.message}`, increment: Math.max(0, pct - last) });
            last = Math.max(last, pct);
          });
          try {
            return await c.sendRequest<ParityAnswer>('migtrace/parity', { uri: uri.toString() });
          } finally {
            sub.dispose();
          }
        });
        showBlock('migtrace parity', answer.text);
        const doc = await vscode.workspace.openTextDocument(uri);
        parity.set(
          uri,
          answer.differences.map((d) => {
            const line = Math.min(d.line, doc.lineCount - 1);
            const diag = new vscode.Diagnostic(doc.lineAt(line).range, `real kernel differs: ${d.message}`, vscode.DiagnosticSeverity.Warning);
            diag.source = 'migtrace parity';
            return diag;
          }),
        );
        const verdict = answer.status === 'match' ? 'the engine matches the real kernels' : answer.status === 'differ' ? `${answer.differences.length} difference(s) with the real kernels (see the Problems view)` : `${answer.status}${answer.reason ? `: ${answer.reason}` : ''}`;
        void vscode.window.showInformationMessage(`migtrace: ${verdict}`);
      }),
    ),
  );
}
