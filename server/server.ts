// Builds the language server on a connection. main.ts hands it a process
// connection (IPC or stdio); tests hand it one over in-memory streams.
//
// Each feature lives in its own module under features/ and registers its own
// handlers; this file only declares the capabilities and wires them up.

import { TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysis';
import type { ServerContext } from './serverContext';
import { registerDiagnostics } from './features/diagnostics';
import { registerCompletion } from './features/completion';
import { registerHover } from './features/hover';
import { registerNavigation } from './features/navigation';
import { registerRename } from './features/rename';
import { registerDocumentSymbols } from './features/documentSymbols';
import { registerSemanticTokens, SEMANTIC_LEGEND } from './features/semanticTokens';
import { registerFolding } from './features/folding';
import { registerFormatting } from './features/formatting';
import { registerCodeActions } from './features/codeActions';
import { registerSignatureHelp } from './features/signatureHelp';
import { registerEngineResults, type EngineOptions } from './engine-results';

export interface ServerOptions {
  /** Quiet time after a change before diagnostics are pushed. */
  diagnosticsDelayMs?: number;
  /** Debounce and budget of the engine runs behind inlay hints. */
  engine?: EngineOptions;
}

export const SERVER_NAME = 'migtrace-language-server';

export function createServer(connection: Connection, options: ServerOptions = {}): ServerContext {
  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache();
  const log = { error: (m: string) => connection.console.error(m) };
  const ctx: ServerContext = {
    connection,
    documents,
    cache,
    log,
    analysis(uri) {
      const doc = documents.get(uri);
      return doc ? cache.get(doc) : undefined;
    },
  };
  documents.onDidClose((e) => cache.delete(e.document.uri));

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: [' ', '|', '[', ',', '-'], resolveProvider: false },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: { label: 'migtrace' },
      semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      signatureHelpProvider: { triggerCharacters: [' '], retriggerCharacters: [' ', ','] },
      inlayHintProvider: true,
    },
    serverInfo: { name: SERVER_NAME, version: '0.1.0' },
  }));

  registerDiagnostics(ctx, options.diagnosticsDelayMs ?? 150);
  registerCompletion(ctx);
  registerHover(ctx);
  registerNavigation(ctx);
  registerRename(ctx);
  registerDocumentSymbols(ctx);
  registerSemanticTokens(ctx);
  registerFolding(ctx);
  registerFormatting(ctx);
  registerCodeActions(ctx);
  registerSignatureHelp(ctx);
  registerEngineResults(ctx, options.engine);

  documents.listen(connection);
  return ctx;
}
