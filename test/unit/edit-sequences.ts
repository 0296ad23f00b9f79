// Shared by the incremental parse and check property tests: the bundled examples,
// and a property over a random sequence of edits where every version, built from
// the previous one, must equal what is built from scratch.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
export const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.mig'))
  .map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));

/** From each example, the edits applied one by one; `step` builds a version from the previous one (undefined at first), `verify` compares it with a build from scratch. */
export function assertOverEdits<E, V>(opts: {
  edits: fc.Arbitrary<E[]>;
  apply: (text: string, e: E) => string;
  step: (prev: V | undefined, text: string) => V;
  verify: (v: V, text: string) => void;
  numRuns: number;
}): void {
  fc.assert(
    fc.property(fc.constantFrom(...examples), opts.edits, (start, edits) => {
      let text = start;
      let v = opts.step(undefined, text);
      opts.verify(v, text);
      for (const e of edits) {
        text = opts.apply(text, e);
        v = opts.step(v, text);
        opts.verify(v, text);
      }
    }),
    { numRuns: opts.numRuns },
  );
}
