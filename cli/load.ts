// Reads and parses a scenario file; parse errors come back as `file:line:col: message`.

import { readFileSync } from 'node:fs';
import { parse } from '../scenario';
import type { Scenario } from '../scenario';

export interface Loaded {
  file: string;
  text: string;
  scenario: Scenario;
}

export function loadScenario(file: string): Loaded | { errors: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { errors: [`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`] };
  }
  const p = parse(text);
  const errs = p.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length) return { errors: errs.map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`) };
  return { file, text, scenario: p.scenario };
}

/** The profiles a file asks to be checked on: `# profiles: 6.1 6.12`, else its own `kernel` line (undefined). */
export function profilesOf(text: string): (string | undefined)[] {
  const m = /^#\s*profiles:\s*(.+)$/m.exec(text);
  if (m) return m[1].trim().split(/[\s,]+/).filter(Boolean);
  return [undefined];
}
