// What every feature module is handed: the connection, the open documents and
// their analyses. Features register their own handlers.

import type { Connection, TextDocuments } from 'vscode-languageserver';
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
}
