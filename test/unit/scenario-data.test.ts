// Data-driven tests of the parser and checker: every test/unit/data/parser/*.mig
// and data/checker/*.mig has a sibling *.expected.json. UPDATE=1 rewrites the
// expected files from the current output (review the diff before committing).

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { check, parse, type Diagnostic } from '../../scenario';

const DATA = join(__dirname, 'data');
const UPDATE = process.env.UPDATE === '1';

/** The tree without ranges, bigints as strings: what the parser understood. */
function strip(x: unknown): unknown {
  if (typeof x === 'bigint') return x.toString();
  if (Array.isArray(x)) return x.map(strip);
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      if (k === 'range' || k === 'headRange' || k === 'titleRange') continue;
      out[k] = strip(v);
    }
    return out;
  }
  return x;
}

function diag(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    line: d.range.start.line,
    start: d.range.start.character,
    end: d.range.end.character,
    ...(d.range.end.line !== d.range.start.line ? { endLine: d.range.end.line } : {}),
    ...(d.data?.suggestion !== undefined ? { suggestion: d.data.suggestion } : {}),
    message: d.message,
  };
}

function compare(file: string, actual: unknown): void {
  const expectedFile = file.replace(/\.mig$/, '.expected.json');
  const json = JSON.stringify(actual, null, 2) + '\n';
  if (UPDATE || !existsSync(expectedFile)) {
    if (!UPDATE) assert.fail(`${expectedFile} is missing: run with UPDATE=1 and review it`);
    writeFileSync(expectedFile, json);
    return;
  }
  assert.deepEqual(JSON.parse(json), JSON.parse(readFileSync(expectedFile, 'utf8')));
}

for (const file of readdirSync(join(DATA, 'parser')).filter((f) => f.endsWith('.mig')).sort()) {
  test(`parser data case ${file} gives the expected tree and diagnostics`, () => {
    const path = join(DATA, 'parser', file);
    const r = parse(readFileSync(path, 'utf8'));
    compare(path, { diagnostics: r.diagnostics.map(diag), statements: strip(r.scenario.statements) });
  });
}

for (const file of readdirSync(join(DATA, 'checker')).filter((f) => f.endsWith('.mig')).sort()) {
  test(`checker data case ${file} gives the expected diagnostics and realizability`, () => {
    const path = join(DATA, 'checker', file);
    const text = readFileSync(path, 'utf8');
    const p = parse(text);
    assert.deepEqual(p.diagnostics.map(diag), [], 'checker cases must parse cleanly');
    const c = check(p.scenario, text);
    compare(path, { realizable: c.realizable, modelOnly: c.modelOnly?.reason ?? null, diagnostics: c.diagnostics.map(diag) });
  });
}
