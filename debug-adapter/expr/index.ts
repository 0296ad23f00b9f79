// The debugger's one expression language: conditions, watch, hover and the Debug Console all go through here.
export { tokenize, ExprError } from './tokenizer';
export type { Token } from './tokenizer';
export { parseExpr } from './parser';
export type { Expr } from './parser';
export { evaluate, syntaxError, truthy, show, compile, listOf } from './evaluator';
export type { Env, Value, EvalResult, FolioRef, ListRef, ObjRef, ArrRef } from './evaluator';
