// One analysis per document version: lexed lines, parse tree, checker results
// and symbols, each computed on first use and shared by every request against
// that version. A new version replaces the entry, so nothing is ever answered
// from stale text; what it may reuse from the previous version is the parse of
// unchanged segments (parseIncremental), the symbol table and check results of
// the statements the edit did not touch (collectSymbolsIncremental,
// checkIncremental: equal to computing them anew), and, for completion's names
// only, the previous symbol table until its own is ready.
//
// A parse moves the reused segments' trees to their new lines in place, so only
// the newest parse reads right: a replaced version (superseded) never starts or
// finishes a parse, and a request still running on one ends with ContentModified.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  checkIncremental,
  checkSteps,
  collectSymbols,
  collectSymbolsIncremental,
  lexLine,
  parseIncremental,
  parseIncrementalSteps,
  splitLines,
  type CheckResult,
  type Diagnostic,
  type IncrementalParse,
  type LexedLine,
  type Steps,
  type SymbolTable,
} from '../scenario';

/** Up to this many lines a symbol table is built on demand (tens of ms at 10,000 lines); beyond, only in steps. */
export const SYNC_SYMBOLS_MAX_LINES = 50_000;

/** A symbol table and the document version it was built from. */
export interface VersionedSymbols {
  version: number;
  symbols: SymbolTable;
}

/** A replaced version was asked for work it may no longer do (server/safe.ts answers ContentModified). */
export class Superseded extends Error {
  constructor() {
    super('the document changed');
  }
}

export class Analysis {
  /** set when a newer version replaces this one in the cache */
  superseded = false;

  /** Throws Superseded on a replaced version: a newer parse may have moved the trees this one shares to its own lines. */
  assertCurrent(): void {
    if (this.superseded) throw new Superseded();
  }
  private _text?: string[];
  private _lexed: (LexedLine | undefined)[] = [];
  private _allLexed?: LexedLine[];
  private _parsed?: IncrementalParse;
  private _symbols?: SymbolTable;
  private _checked?: CheckResult;
  /** the stepped parse and check under way, shared by every caller that awaits them */
  private _parsing?: Promise<IncrementalParse | undefined>;
  private _checking?: Promise<CheckResult | undefined>;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    /** the previous version's parse, for parseIncremental; dropped once this version is parsed */
    private base?: IncrementalParse,
    /** the newest earlier symbol table, for completion while this version's is not built (and to build this one from) */
    private readonly fallbackSymbols?: VersionedSymbols,
    /** the previous version's check, to reuse for untouched statements; dropped once this version is checked */
    private prevCheck?: CheckResult,
  ) {}

  get lineTexts(): string[] {
    return (this._text ??= splitLines(this.text));
  }

  /** One line, lexed on first use: features that look at a few lines do not lex the whole document. */
  line(n: number): LexedLine | undefined {
    const texts = this.lineTexts;
    if (n < 0 || n >= texts.length) return undefined;
    return (this._lexed[n] ??= lexLine(texts[n], n));
  }

  get lines(): LexedLine[] {
    if (!this._allLexed) {
      const n = this.lineTexts.length;
      const all = new Array<LexedLine>(n);
      for (let i = 0; i < n; i++) all[i] = this.line(i)!;
      this._allLexed = all;
    }
    return this._allLexed;
  }

  get parsed(): IncrementalParse {
    if (!this._parsed) {
      // Parsing now would move trees the newer version shares back to this version's lines.
      this.assertCurrent();
      this._parsed = parseIncremental(this.base, this.text);
      this.base = undefined;
    }
    return this._parsed;
  }

  /**
   * The parse, computed in steps that yield to the event loop between chunks of lines, so that
   * `$/cancelRequest` and newer edits are seen on a huge document. `stop()` is asked after every
   * step; when it says so the work is dropped (nothing half-done is kept) and undefined returned.
   */
  parsedAsync(stop: () => boolean = () => false, chunkLines = 20_000): Promise<IncrementalParse | undefined> {
    if (this._parsed) return Promise.resolve(this._parsed);
    if (this.superseded) return Promise.resolve(undefined);
    // One stepped parse per version: a second caller (the engine's run after the diagnostics) shares it.
    return (this._parsing ??= this.parseInSteps(stop, chunkLines).finally(() => (this._parsing = undefined)));
  }

  private async parseInSteps(stop: () => boolean, chunkLines: number): Promise<IncrementalParse | undefined> {
    const parsed = await runStepsAsync(parseIncrementalSteps(this.base, this.text, chunkLines), () => this.superseded || stop(), () => this._parsed);
    // Another caller may have finished first (e.g. a synchronous request in between): keep one tree.
    if (parsed && !this._parsed) {
      this._parsed = parsed;
      this.base = undefined;
    }
    return parsed && this._parsed;
  }

  /** The check if done, else the one this version would reuse (a successor can reuse either). */
  get checkIfReady(): CheckResult | undefined {
    return this._checked ?? this.prevCheck;
  }

  /** Whether the parse exists already (a successor can reuse it). */
  get parseIfReady(): IncrementalParse | undefined {
    return this._parsed ?? this.base;
  }

  get symbols(): SymbolTable {
    return (this._symbols ??= collectSymbolsIncremental(this.fallbackSymbols?.symbols, this.parsed.scenario));
  }

  /**
   * Symbols good enough for offering names: this version's when built, else the newest earlier
   * version's (names rarely change between keystrokes; the version says which one answered).
   */
  get namesSymbols(): VersionedSymbols {
    if (this._symbols) return { version: this.version, symbols: this._symbols };
    return this.fallbackSymbols ?? { version: this.version, symbols: this.symbols };
  }

  /**
   * namesSymbols without blocking: on a document longer than SYNC_SYMBOLS_MAX_LINES with no table built
   * yet (its first analysis still running in steps) undefined, instead of parsing and collecting the
   * whole document in one go while the user waits for a completion list.
   */
  get namesSymbolsNow(): VersionedSymbols | undefined {
    if (this._symbols || this.fallbackSymbols) return this.namesSymbols;
    return this.lineTexts.length > SYNC_SYMBOLS_MAX_LINES ? undefined : this.namesSymbols;
  }

  get latestSymbols(): VersionedSymbols | undefined {
    return this._symbols ? { version: this.version, symbols: this._symbols } : this.fallbackSymbols;
  }

  get checked(): CheckResult {
    if (!this._checked) {
      this._checked = checkIncremental(this.prevCheck, this.parsed.scenario);
      this.prevCheck = undefined;
      // The checker built this tree's table (tables are cached per tree): completion gets current names for free.
      this._symbols ??= collectSymbols(this.parsed.scenario);
    }
    return this._checked;
  }

  /**
   * The checker's result, computed in steps (the symbol table, then the checks) that yield to the
   * event loop every `every` statements, after the stepped parse. `stop()` is asked after every
   * step; when it says so the work is dropped and undefined returned.
   */
  checkedAsync(stop: () => boolean = () => false, every = 2_000): Promise<CheckResult | undefined> {
    if (this._checked) return Promise.resolve(this._checked);
    return (this._checking ??= this.checkInSteps(stop, every).finally(() => (this._checking = undefined)));
  }

  private async checkInSteps(stop: () => boolean, every: number): Promise<CheckResult | undefined> {
    const parsed = await this.parsedAsync(stop);
    if (!parsed) return undefined;
    const checked = await runStepsAsync(checkSteps(parsed.scenario, every, this.prevCheck), stop, () => this._checked);
    if (checked && !this._checked) {
      this._checked = checked;
      this.prevCheck = undefined;
      this._symbols ??= collectSymbols(parsed.scenario);
    }
    return checked && this._checked;
  }

  /** Syntax diagnostics followed by the checker's. */
  get diagnostics(): Diagnostic[] {
    return [...this.parsed.diagnostics, ...this.checked.diagnostics];
  }
}

/**
 * Runs stepped work (scenario/steps.ts), yielding to the event loop between steps so that
 * cancellations and newer edits are seen. After every pause `settled()` may give the result
 * another caller computed meanwhile (returned instead), and `stop()` may end the work: the
 * generator is dropped (nothing half-done is kept) and undefined returned.
 */
async function runStepsAsync<T>(steps: Steps<T>, stop: () => boolean, settled: () => T | undefined): Promise<T | undefined> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
    const other = settled();
    if (other !== undefined) return other;
    if (stop()) return undefined;
  }
}

export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();

  get(doc: TextDocument): Analysis {
    const cur = this.entries.get(doc.uri);
    if (cur && cur.version === doc.version) return cur;
    // Only results, never the previous Analysis itself, are handed on: no chain of old versions stays alive.
    const next = new Analysis(doc.uri, doc.version, doc.getText(), cur?.parseIfReady, cur?.latestSymbols, cur?.checkIfReady);
    if (cur) cur.superseded = true;
    this.entries.set(doc.uri, next);
    return next;
  }

  delete(uri: string): void {
    const cur = this.entries.get(uri);
    if (cur) cur.superseded = true;
    this.entries.delete(uri);
  }
}
