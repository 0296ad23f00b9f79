// Conversions between the scenario tree's types and LSP's. Positions and ranges
// have the same shape (0-based line, UTF-16 character), so most are identities.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Position, type Range } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../scenario';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  return { range: d.range, severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error, message: d.message, code: d.code, source: 'migtrace', data: d.data };
}

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
