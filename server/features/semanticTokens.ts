// Semantic tokens: the lexer's tokens, classified with the vocabularies and the
// symbol table. The custom token types are declared in package.json
// (semanticTokenTypes) with TextMate fallbacks (semanticTokenScopes); a test
// keeps that list and SEMANTIC_LEGEND equal.

import { SemanticTokensBuilder, type Range, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { symbolsOnLine, vocab as V, type Token } from '../../scenario';
import type { Analysis } from '../analysis';
import { checkCancelled, guard, inChunksCancellable } from '../safe';
import type { ServerContext } from '../serverContext';
import type { CancellationToken } from 'vscode-languageserver';

export const TOKEN_TYPES = [
  'keyword', 'operation', 'number', 'string', 'comment', 'operator', 'variable',
  'flag', 'policy', 'migrateMode', 'migrateReason', 'errno', 'event', 'counter',
  'process', 'mapping', 'folio', 'profile',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'modelOnly'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const TYPE_INDEX = new Map<string, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const DECLARATION = 1 << 0;
const MODEL_ONLY = 1 << 1;

/** Every other word of the language reads as a keyword. */
const KEYWORD_LISTS: readonly (readonly string[])[] = [
  V.TOP_KEYWORDS, V.USER_KEYWORDS, V.EXPECT_KINDS, V.OPTION_WORDS, V.USERS, V.BACKINGS, V.SHARINGS, V.THP_ADVICE,
  V.PROTS, V.PIN_KINDS, V.VMA_SELECT, V.MAP_LEVELS, V.ALLOC_MODES, V.FOLIO_KINDS, V.FOLIO_FLAGS, V.INJECT_FAULTS,
  V.FOLIO_PLACES, ['node', 'no', 'event', 'nodes'],
];

/** The type of a word that is not a declared name. */
export function classifyWord(text: string, previous: string | undefined): TokenType | undefined {
  if (previous === 'event' && V.isIn(V.EVENTS, text)) return 'event';
  if (V.isIn(V.MPOL_MF_FLAGS, text) || V.isIn(V.MPOL_MODE_FLAGS, text)) return 'flag';
  if (V.isIn(V.MPOL_MODES, text)) return 'policy';
  if (V.isIn(V.MIGRATE_MODES, text)) return 'migrateMode';
  if (V.isIn(V.MIGRATE_REASONS, text)) return 'migrateReason';
  if (V.isIn(V.ERRNOS, text)) return 'errno';
  if (V.isIn(V.EVENTS, text) && /[A-Z]/.test(text[0])) return 'event';
  if (V.isIn(V.VMSTAT_COUNTERS, text) || V.isIn(V.STATS_FIELDS, text)) return 'counter';
  if (KEYWORD_LISTS.some((l) => V.isIn(l, text))) return 'keyword';
  return undefined;
}

export interface RawToken {
  line: number;
  start: number;
  length: number;
  type: TokenType;
  modifiers: number;
}

const MODEL_ONLY_HEADS = new Set(['folio', 'inject']);

/** Classified tokens of lines [fromLine, toLine], in document order. */
export function classify(a: Analysis, fromLine = 0, toLine = Number.MAX_SAFE_INTEGER, token?: CancellationToken): RawToken[] {
  const out: RawToken[] = [];
  const symbols = a.symbols;
  const last = Math.min(toLine, a.lineTexts.length - 1);
  for (let ln = Math.max(0, fromLine); ln <= last; ln++) {
    // Cancellation is checked every 500 lines: often enough to stop quickly, rarely enough to cost nothing.
    if (ln % 500 === 0) checkCancelled(token);
    const l = a.line(ln)!;
    const toks = l.tokens;
    const names = new Map<number, { kind: string; decl: boolean }>();
    for (const x of symbolsOnLine(symbols, ln)) names.set(x.range.start.character, { kind: x.kind, decl: 'stmt' in x });
    const head = toks[0]?.text;
    const mod = (head && MODEL_ONLY_HEADS.has(head)) || (head === 'migrate_pages' && toks[1]?.text === '[') ? MODEL_ONLY : 0;
    const push = (t: Token, type: TokenType, extra = 0): void => {
      out.push({ line: ln, start: t.start, length: t.end - t.start, type, modifiers: mod | extra });
    };
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (i === 1 && head === 'kernel' && l.indent === 0) {
        // `6.3-rc1` lexes as several tokens; it is one profile name.
        const end = toks[toks.length - 1].end;
        out.push({ line: ln, start: t.start, length: end - t.start, type: 'profile', modifiers: 0 });
        break;
      }
      switch (t.kind) {
        case 'number': {
          push(t, 'number');
          break;
        }
        case 'string':
          push(t, 'string');
          break;
        case 'punct':
          if (t.text === '|' || t.text === '..' || t.text === '+' || t.text === '-') {
            // `-EAGAIN`: the minus belongs to the errno.
            const next = toks[i + 1];
            if (t.text === '-' && next?.kind === 'word' && next.start === t.end && V.isIn(V.ERRNOS, next.text)) {
              out.push({ line: ln, start: t.start, length: next.end - t.start, type: 'errno', modifiers: mod });
              i++;
            } else push(t, 'operator');
          }
          break;
        case 'word': {
          if (i === 0) {
            push(t, V.isIn(V.OPERATION_KEYWORDS, t.text) ? 'operation' : 'keyword');
            break;
          }
          const sym = names.get(t.start);
          if (sym && sym.kind !== 'node') {
            push(t, sym.kind as TokenType, sym.decl ? DECLARATION : 0);
            break;
          }
          push(t, classifyWord(t.text, toks[i - 1]?.text) ?? 'variable');
          break;
        }
        default:
          break;
      }
    }
    if (l.comment) out.push({ line: ln, start: l.comment.start.character, length: l.comment.end.character - l.comment.start.character, type: 'comment', modifiers: 0 });
  }
  return out;
}

function build(tokens: RawToken[]): SemanticTokens {
  const b = new SemanticTokensBuilder();
  for (const t of tokens) if (t.length > 0) b.push(t.line, t.start, t.length, TYPE_INDEX.get(t.type)!, t.modifiers);
  return b.build();
}

export function semanticTokens(a: Analysis, range?: Range, token?: CancellationToken): SemanticTokens {
  if (!range) return build(classify(a, 0, Number.MAX_SAFE_INTEGER, token));
  const inRange = classify(a, range.start.line, range.end.line, token).filter(
    (t) =>
      !(t.line === range.start.line && t.start + t.length <= range.start.character) &&
      !(t.line === range.end.line && t.start >= range.end.character),
  );
  return build(inRange);
}

/** Lines classified between two turns of the event loop. */
const CHUNK_LINES = 5000;

/**
 * Semantic tokens of a whole document in steps that yield to the event loop (the parse, then
 * every CHUNK_LINES lines), so a cancelled request stops within one step. Building the symbol
 * table is still one step.
 */
export async function semanticTokensAsync(a: Analysis, token: CancellationToken): Promise<SemanticTokens> {
  await a.parsedAsync(() => token.isCancellationRequested);
  checkCancelled(token);
  const out: RawToken[] = [];
  await inChunksCancellable(a.lineTexts.length, CHUNK_LINES, token, (from, to) => {
    a.assertCurrent(); // the document may have changed during the pause
    for (const t of classify(a, from, to - 1, token)) out.push(t);
  });
  return build(out);
}

export function registerSemanticTokens(ctx: ServerContext): void {
  const empty: SemanticTokens = { data: [] };
  ctx.connection.languages.semanticTokens.on(
    guard(ctx.log, 'semanticTokens', empty, async (p, token) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? await semanticTokensAsync(a, token) : empty;
    }),
  );
  ctx.connection.languages.semanticTokens.onRange(
    guard(ctx.log, 'semanticTokens/range', empty, (p, token) => {
      const a = ctx.analysis(p.textDocument.uri);
      return a ? semanticTokens(a, p.range, token) : empty;
    }),
  );
}
