// The trace timeline's cell model: rows, pass/phase columns and outcomes read
// off real engine runs of small scenarios.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from '../../scenario';
import { run } from '../../engine';
import { buildTimelineModel, outcomeAt, FLAG_SPLIT, cellIndex, type TimelineModel } from '../../client/timeline/model';
import { toWire } from '../../client/timeline/wire';

function model(text: string): TimelineModel {
  const r = run(parse(text).scenario, {});
  assert.equal(r.error, undefined, r.error?.message);
  return buildTimelineModel(r);
}
function row(m: TimelineModel, name: string): number {
  const i = m.rowLabel.indexOf(name);
  assert.ok(i >= 0, `no row for ${name} in ${m.rowLabel.slice(0, 10).join(', ')}`);
  return i;
}
const cols = (m: TimelineModel) => m.columns.map((c) => c.label);
const line = (m: TimelineModel, name: string) => m.columns.map((_, c) => outcomeAt(m, row(m, name), c) || '.');

const CONTENDED = `scenario "contended"
kernel 6.12
node 0 memory 64M
node 1 memory 64M
folio A order 0 node 0 anon lru
folio B order 0 node 0 anon lru
inject lock B held passes 0..2
migrate_pages [A, B] to node 1 mode MIGRATE_SYNC
`;

describe('timeline model', () => {
  it('has one unmap and one move column per pass the operation used', () => {
    const m = model(CONTENDED);
    assert.deepEqual(cols(m), ['pass 0 unmap', 'pass 0 move', 'pass 1 unmap', 'pass 1 move', 'pass 2 unmap', 'pass 2 move', 'pass 3 unmap', 'pass 3 move']);
  });

  it('puts UNMAP in the unmap phase and SUCCESS in the move phase of the same pass', () => {
    const m = model(CONTENDED);
    assert.deepEqual(line(m, 'A'), ['MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS', '.', '.', '.', '.', '.', '.']);
  });

  it('shows a folio retried with EAGAIN while its lock is held, then migrated', () => {
    const m = model(CONTENDED);
    assert.deepEqual(line(m, 'B'), ['EAGAIN', '.', 'EAGAIN', '.', 'EAGAIN', '.', 'MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS']);
    assert.equal(m.endNames[m.rowEnd[row(m, 'B')]], 'migrated → node 1');
  });

  it('links every non-empty cell to the event that decided it, on the operation line', () => {
    const text = CONTENDED;
    const r = run(parse(text).scenario, {});
    const m = buildTimelineModel(r);
    let filled = 0;
    for (let k = 0; k < m.cells.length; k++) {
      if (m.cells[k] === 0) {
        assert.equal(m.cellEvent[k], -1);
        continue;
      }
      filled++;
      const e = r.trace.event(m.cellEvent[k]);
      assert.equal(e.name, outcomeAt(m, Math.floor(k / m.columns.length), k % m.columns.length));
      assert.equal(e.line, 7);
    }
    assert.equal(filled, 7);
    assert.deepEqual(m.ops, [{ line: 7, kind: 'migrate_pages_internal' }]);
  });

  it('names the list a folio that never migrated ended on, and marks a THP split in the cell that caused it', () => {
    const m = model(`scenario "enomem"
kernel 6.12
node 0 memory 64M
node 1 memory 64M
folio A order 0 node 0 anon lru
folio B order 0 node 0 anon lru
process app
  mmap heap anon private 2M align 2M thp
folio C order 9 node 0 anon lru mapped app heap[0] pmd
inject lock B held passes 0..4
inject alloc node 1 fails after 2
migrate_pages [A, B, C] to node 1 mode MIGRATE_ASYNC reason MR_COMPACTION
`);
    assert.deepEqual(line(m, 'B'), ['EAGAIN', '.', 'ENOMEM', '.']);
    assert.deepEqual(line(m, 'C'), ['ENOMEM', '.', '.', '.']);
    const c = row(m, 'C');
    assert.equal(m.cellFlags[cellIndex(m, c, 0)] & FLAG_SPLIT, FLAG_SPLIT);
    assert.equal(m.cellFlags[cellIndex(m, row(m, 'B'), 0)] & FLAG_SPLIT, 0);
    assert.equal(m.endNames[m.rowEnd[row(m, 'B')]], 'from');
    // C's 511 tail pieces have rows of their own (put back without a try); the head keeps C's row
    assert.equal(m.rows, 3 + 511);
    assert.equal(line(m, 'C.1').join(' '), '. . . .');
  });

  it('gives each operation its own rows and an empty model for a scenario without operations', () => {
    const two = model(CONTENDED + 'migrate_pages [A] to node 0 mode MIGRATE_SYNC\n');
    assert.deepEqual([...two.rowOp], [0, 0, 1]);
    // the second operation moves A's copy on node 1 (A')
    assert.equal(two.rowLabel[2], "A'");
    const none = model('scenario "x"\nnode 0 memory 64M\nfolio A order 0 node 0 anon lru\n');
    assert.equal(none.rows, 0);
    assert.equal(none.columns.length, 0);
  });

  it('sends the webview the cells, flags and end lists as base64 typed arrays that decode to the model', () => {
    const m = model(CONTENDED);
    const w = JSON.parse(JSON.stringify(toWire(m, 'x.mig on 6.12', 'goto'))) as ReturnType<typeof toWire>;
    assert.deepEqual([...Buffer.from(w.cells, 'base64')], [...m.cells]);
    assert.deepEqual([...Buffer.from(w.flags, 'base64')], [...m.cellFlags]);
    const ends = Buffer.from(w.ends, 'base64');
    assert.deepEqual([...new Uint16Array(ends.buffer, ends.byteOffset, ends.byteLength / 2)], [...m.rowEnd]);
    assert.deepEqual(w.labels, ['A', 'B']);
    assert.equal(w.columns.length * w.rows, m.cells.length);
    assert.equal(w.outcomes[m.cells[cellIndex(m, 1, 0)]], 'EAGAIN');
  });
});
