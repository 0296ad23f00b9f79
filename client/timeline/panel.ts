// `migtrace.showTimeline`: the trace timeline of the active migtrace debug
// session's scenario, else of the active .mig editor. The engine runs here, in
// the extension host, on the same text and profile as the debugger (the run is
// deterministic, so event indices match the session's). Clicking a cell sends
// the debugger a standard DAP `goto` (target id = event index + 1, as the
// adapter's gotoTargets hands out), or reveals the scenario line.

import * as vscode from 'vscode';
import type { TimelineModel } from './model';
import { timelineHtml } from './html';
import { loadHeavy } from '../chunks';

interface Shown {
  panel: vscode.WebviewPanel;
  model?: TimelineModel;
  /** scenario line of each event (a copy; the run itself is dropped) */
  eventLine?: Int32Array;
  uri?: vscode.Uri;
  session?: vscode.DebugSession;
}

let shown: Shown | undefined;

interface Source {
  uri: vscode.Uri;
  text: string;
  profile?: string;
  session?: vscode.DebugSession;
}

async function pickSource(arg: unknown): Promise<Source | undefined> {
  const config = vscode.workspace.getConfiguration('migtrace');
  const editor = vscode.window.activeTextEditor?.document.languageId === 'migscenario' ? vscode.window.activeTextEditor.document.uri : undefined;
  const wanted = arg instanceof vscode.Uri ? arg : undefined;
  // A migtrace debug session of the asked-for file (or of any file when none was asked for) wins: clicks then jump the debugger.
  const s = vscode.debug.activeDebugSession;
  if (s && s.type === 'migtrace' && typeof s.configuration.program === 'string') {
    const uri = vscode.Uri.file(s.configuration.program);
    if (!wanted || wanted.fsPath === uri.fsPath) {
      // the debugger ran the file on disk, not the editor's unsaved text
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      return { uri, text, profile: s.configuration.kernel ?? s.configuration.defaultKernel, session: s };
    }
  }
  const uri = wanted ?? editor ?? shown?.uri;
  if (!uri) return undefined;
  const doc = await vscode.workspace.openTextDocument(uri);
  return { uri, text: doc.getText(), profile: config.get<string>('kernel.defaultProfile') };
}

/** Runs the engine and builds the model (dist/client-heavy.js, loaded on first use so activation stays cheap). */
function build(src: Source): { model: TimelineModel; eventLine: Int32Array; title: string } {
  const { analyze, run, buildTimelineModel } = loadHeavy();
  const a = analyze(src.text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`line ${errors[0].range.start.line + 1}: ${errors[0].message}`);
  const fromFile = a.scenario.statements.find((s) => s.kind === 'kernel');
  const profile = (src.session ? src.profile : undefined) ?? (fromFile?.kind === 'kernel' ? fromFile.profile?.text : undefined) ?? src.profile;
  const r = run(a.scenario, { profile, deadlineMs: 20_000 });
  if (r.error && r.trace.n === 0) throw new Error(`line ${r.error.line + 1}: ${r.error.message}`);
  const model = buildTimelineModel(r);
  const name = src.uri.path.slice(src.uri.path.lastIndexOf('/') + 1);
  const stopped = r.error ? ` (run stopped at line ${r.error.line + 1}: ${r.error.message})` : '';
  return { model, eventLine: r.trace.line_.slice(0, r.trace.n), title: `${name} on ${r.profile}${stopped}` };
}

async function refresh(arg?: unknown): Promise<void> {
  const src = await pickSource(arg);
  if (!src) {
    void vscode.window.showWarningMessage('migtrace: open a .mig scenario (or start debugging one) to see its timeline.');
    return;
  }
  let built: ReturnType<typeof build>;
  try {
    built = build(src);
  } catch (e) {
    void vscode.window.showErrorMessage(`migtrace: cannot show the timeline: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const s = ensurePanel();
  Object.assign(s, { model: built.model, eventLine: built.eventLine, uri: src.uri, session: src.session });
  s.panel.title = `Timeline: ${src.uri.path.slice(src.uri.path.lastIndexOf('/') + 1)}`;
  post(s, built.title);
}

let lastTitle = '';
function post(s: Shown, title = lastTitle): void {
  lastTitle = title;
  if (!s.model) return;
  const { toWire } = loadHeavy();
  void s.panel.webview.postMessage({ type: 'model', data: toWire(s.model, title, s.session ? 'goto' : 'reveal') });
}

let extensionUri: vscode.Uri;

function ensurePanel(): Shown {
  if (shown) {
    shown.panel.reveal(undefined, true);
    return shown;
  }
  const panel = vscode.window.createWebviewPanel('migtrace.timeline', 'Timeline', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
  });
  const s: Shown = { panel };
  shown = s;
  panel.webview.html = timelineHtml(panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'timeline.js')).toString(), panel.webview.cspSource);
  panel.onDidDispose(() => {
    if (shown === s) shown = undefined;
  });
  panel.webview.onDidReceiveMessage((m: { type: string; row?: number; col?: number }) => {
    if (m.type === 'ready') post(s);
    else if (m.type === 'activate' && typeof m.row === 'number' && typeof m.col === 'number') void activateCell(s, m.row, m.col);
  });
  return s;
}

async function activateCell(s: Shown, row: number, col: number): Promise<void> {
  const m = s.model;
  if (!m || !s.uri || row < 0 || row >= m.rows || col < 0 || col >= m.columns.length) return;
  const ev = m.cellEvent[row * m.columns.length + col];
  const session = s.session && vscode.debug.activeDebugSession?.id === s.session.id ? s.session : undefined;
  if (session && ev >= 0) {
    try {
      await session.customRequest('goto', { threadId: 1, targetId: ev + 1 });
      return;
    } catch (e) {
      void vscode.window.showWarningMessage(`migtrace: the debugger could not jump to event ${ev}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
  }
  const line = ev >= 0 && s.eventLine ? s.eventLine[ev] : m.ops[m.rowOp[row]]?.line ?? 0;
  const doc = await vscode.workspace.openTextDocument(s.uri);
  const range = doc.lineAt(Math.min(line, doc.lineCount - 1)).range;
  // the line selected with the cursor at its start, so the editor does not scroll sideways to its end
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Selection(range.end, range.start), preserveFocus: false });
}

export function registerTimeline(context: vscode.ExtensionContext): void {
  extensionUri = context.extensionUri;
  context.subscriptions.push(
    vscode.commands.registerCommand('migtrace.showTimeline', (arg?: unknown) => refresh(arg)),
    // The timeline follows the scenario it shows: a save or a new debug session of it re-runs it.
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (shown && shown.uri?.toString() === d.uri.toString()) void refresh(d.uri);
    }),
    vscode.debug.onDidStartDebugSession((ds) => {
      if (shown && ds.type === 'migtrace') void refresh();
    }),
    vscode.debug.onDidTerminateDebugSession((ds) => {
      if (shown && shown.session?.id === ds.id) {
        shown.session = undefined;
        post(shown);
      }
    }),
  );
}
