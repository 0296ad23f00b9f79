// One analysis per document version: lexed lines, parse tree, checker results
// and symbols, each computed on first use and shared by every request against
// that version. A new version replaces the entry, so nothing is ever answered
// from stale text.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { check, collectSymbols, lex, parse, type CheckResult, type Diagnostic, type LexedLine, type ParseResult, type SymbolTable } from '../scenario';

export class Analysis {
  private _lines?: LexedLine[];
  private _parsed?: ParseResult;
  private _symbols?: SymbolTable;
  private _checked?: CheckResult;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
  ) {}

  get lines(): LexedLine[] {
    return (this._lines ??= lex(this.text));
  }

  get parsed(): ParseResult {
    return (this._parsed ??= parse(this.text));
  }

  get symbols(): SymbolTable {
    return (this._symbols ??= collectSymbols(this.parsed.scenario));
  }

  get checked(): CheckResult {
    return (this._checked ??= check(this.parsed.scenario, this.text));
  }

  /** Syntax diagnostics followed by the checker's. */
  get diagnostics(): Diagnostic[] {
    return [...this.parsed.diagnostics, ...this.checked.diagnostics];
  }
}

export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  get(doc: TextDocument): Analysis {
    const cur = this.entries.get(doc.uri);
    if (cur && cur.version === doc.version) return cur;
    const next = new Analysis(doc.uri, doc.version, doc.getText());
    this.entries.set(doc.uri, next);
    return next;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
