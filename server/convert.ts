// Conversions between the scenario tree's types and LSP's. Positions and ranges
// have the same shape (0-based line, UTF-16 character), so most are identities.

import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
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
