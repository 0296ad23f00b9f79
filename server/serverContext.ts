// What every feature module is handed: the connection, the open documents and
// their analyses. Features register their own handlers.

import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, AnalysisCache } from './analysis';
import type { Logger } from './safe';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  cache: AnalysisCache;
  log: Logger;
  /** The analysis of the latest text of an open document, or undefined when it is not open. */
  analysis(uri: string): Analysis | undefined;
  /** Diagnostics from the engine's run of that version (failed expects, run errors); set by engine-results. */
  engineDiagnostics?: (uri: string, version: number) => Diagnostic[];
  /** Re-publishes a document's diagnostics (an engine run ended); set by the diagnostics feature. */
  refreshDiagnostics?: (uri: string) => void;
}
