// The public API of the scenario language. The engine, server, debug adapter
// and cli import only from here.

import type { Diagnostic, Scenario } from './ast';
import { check, type CheckResult } from './checker';
import { parse } from './parser';

export * from './ast';
export { parse, type ParseResult } from './parser';
export { parseIncremental, parseIncrementalSteps, type IncrementalParse } from './incremental';
export { check, checkIncremental, checkSteps, formatSize, type CheckResult } from './checker';
export { collectSymbolsIncremental } from './symbols-incremental';
export { collectSymbols, collectSymbolsSteps, symbolAt, symbolsOnLine, referencesOf, lookup, namesOf, type SymbolTable, type SymbolDecl, type SymbolRef, type SymbolKind, type SymbolHit } from './symbols';
export { PROFILES, PROFILE_NAMES, DEFAULT_PROFILE, isProfile, type ProfileInfo } from './profiles';
export { lex, lexLine, splitLines, type Token, type TokenKind, type LexedLine } from './lexer';
export * as vocab from './vocab';
export { nearest, editDistance } from './suggest';

export interface Analysis extends CheckResult {
  scenario: Scenario;
  /** parse diagnostics followed by checker diagnostics */
  diagnostics: Diagnostic[];
}

/** parse + check in one call: what the language server and cli run on every document. */
export function analyze(text: string): Analysis {
  const parsed = parse(text);
  const checked = check(parsed.scenario, text);
  return { ...checked, scenario: parsed.scenario, diagnostics: [...parsed.diagnostics, ...checked.diagnostics] };
}
export * from './docs';
export { format } from './format';
export { runSteps, type Steps } from './steps';
export { contains, sameRange } from './range';
