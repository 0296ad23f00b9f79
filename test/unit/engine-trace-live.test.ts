// The mutation log may rewrite records between two events (column writes to the
// same folio collapse into one record), so the state stateAt(i) rebuilds must be the
// state the engine really had when it emitted event i, not only what a straight
// replay of the same log reaches. The live state is digested at every emit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../scenario';
import { run } from '../../engine';
import { Trace } from '../../engine/trace';
import { stateDigest } from '../../engine/digest';

const CORE = join(__dirname, '..', 'scenarios', 'core');

/** runs a scenario and returns its trace with the live state's digest at every event */
function runRecordingLive(file: string, profile: string): { trace: Trace; live: string[] } {
  const live: string[] = [];
  const emit = Trace.prototype.emit;
  Trace.prototype.emit = function (this: Trace, type: number, folio?: number, aux?: number, aux2?: number): number {
    const i = emit.call(this, type, folio, aux, aux2);
    live[i] = stateDigest(this.state);
    return i;
  };
  try {
    const r = run(parse(readFileSync(join(CORE, file), 'utf8')).scenario, { profile });
    assert.equal(r.error, undefined, r.error?.message);
    return { trace: r.trace, live };
  } finally {
    Trace.prototype.emit = emit;
  }
}

for (const [file, profile] of [['batch-600.mig', '6.12'], ['seed-batched-unmap.mig', '6.1'], ['extra-ref-file-move-eagain.mig', '6.12'], ['seed-edeadlock-6.3-rc1.mig', '6.3-rc1']] as const) {
  test(`stateAt(i) is the live state the engine had when it emitted event i (${file}, ${profile})`, () => {
    const { trace, live } = runRecordingLive(file, profile);
    trace.checkpointEvery = 17;
    assert.equal(live.length, trace.n);
    for (let i = trace.n - 1; i >= 0; i -= 3) assert.equal(stateDigest(trace.stateAt(i)), live[i], `state at event ${i} of ${trace.n}`);
    for (let i = 0; i < trace.n; i += 2) assert.equal(stateDigest(trace.stateAt(i)), live[i], `state at event ${i} of ${trace.n}`);
  });
}
