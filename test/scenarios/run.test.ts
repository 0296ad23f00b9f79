// Runs every scenario under test/scenarios/** with the engine, under each kernel
// profile the file names in a `# profiles: 6.1 6.12` comment (else its `kernel`
// line, else the default profile), with the invariants checked after every event.
// A scenario passes when it parses without errors, runs to the end and every
// `expect` line holds. `# expect-error: <text>` marks a scenario whose run must
// stop with an error containing <text> (bad input tests).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '../../scenario';
import { run } from '../../engine';

const ROOT = __dirname;

function mig(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...mig(p));
    else if (n.endsWith('.mig')) out.push(p);
  }
  return out;
}

function profilesOf(text: string): (string | undefined)[] {
  const m = /^#\s*profiles:\s*(.+)$/m.exec(text);
  if (m) return m[1].trim().split(/[\s,]+/).filter(Boolean);
  return [undefined];
}

for (const file of mig(ROOT)) {
  const text = readFileSync(file, 'utf8');
  const rel = relative(ROOT, file);
  const expectError = /^#\s*expect-error:\s*(.+)$/m.exec(text)?.[1].trim();
  for (const profile of profilesOf(text)) {
    test(`${rel} holds on kernel ${profile ?? '(scenario default)'}`, () => {
      const p = parse(text);
      const errs = p.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errs.length, 0, `parse errors:\n${errs.map((d) => `  ${rel}:${d.range.start.line + 1}: ${d.message}`).join('\n')}`);
      const r = run(p.scenario, { profile, invariants: true, maxEvents: 5_000_000 });
      if (expectError) {
        assert.ok(r.error, `expected the run to stop with "${expectError}", but it ran to the end`);
        assert.ok(r.error.message.includes(expectError), `${rel}:${r.error.line + 1}: expected an error containing "${expectError}", got "${r.error.message}"`);
        return;
      }
      assert.equal(r.error, undefined, r.error ? `${rel}:${r.error.line + 1}: ${r.error.message}` : '');
      const failed = r.expects.filter((e) => !e.ok);
      assert.equal(failed.length, 0, `failed expectations:\n${failed.map((e) => `  ${rel}:${e.range.start.line + 1}: ${e.message}`).join('\n')}`);
      assert.ok(r.expects.length > 0, 'a scenario test needs at least one expect line');
    });
  }
}
