// The public API of the scenario language. The engine, server, debug adapter
// and cli import only from here.

export * from './ast';
export { parse, type ParseResult } from './parser';
export { lex, lexLine, splitLines, type Token, type TokenKind, type LexedLine } from './lexer';
export * as vocab from './vocab';
export { nearest, editDistance } from './suggest';
