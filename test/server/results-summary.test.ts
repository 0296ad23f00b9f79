// engine/summary.ts: the per-folio fates and operation summaries behind the
// inlay hints, on small scenarios whose kernel behaviour is known.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../scenario';
import { run } from '../../engine';
import { folioFates, folioFateText, opSummaryText, mappingPages, mappingPagesText, type FolioFate } from '../../engine/summary';

function go(text: string, profile?: string) {
  const p = parse(text);
  assert.deepEqual(p.diagnostics.filter((d) => d.severity === 'error'), []);
  const r = run(p.scenario, { profile, invariants: true });
  assert.equal(r.error, undefined);
  return r;
}
const MACHINE = 'node 0 memory 1G\nnode 1 memory 1G\n';

test('a folio whose lock is held for four passes fails with EAGAIN three times, then migrates (6.12: 3 async + sync passes)', () => {
  const r = go(`${MACHINE}folio A order 0 node 0 anon lru\nfolio B order 0 node 0 anon lru\ninject lock B held passes 0..3\nmigrate_pages [A, B] to node 1 mode MIGRATE_SYNC\n`, '6.12');
  const fates = folioFates(r, r.ops[0]);
  assert.deepEqual(
    fates.map((f) => [f.folio, f.failures, f.migrated, f.node]),
    [
      ['A', [], 1, 1],
      ['B', [['EAGAIN', 3]], 1, 1],
    ],
  );
  assert.equal(folioFateText(fates[1]), 'EAGAIN ×3 · migrated to node 1');
  assert.equal(opSummaryText(r, r.ops[0], fates), '→ 0 · 2 succeeded · 4 passes');
});

test('a folio locked through all ten MIGRATE_ASYNC passes stays on `from` with EAGAIN ×10 and counts as failed', () => {
  const r = go(`${MACHINE}folio A order 0 node 0 anon lru\ninject lock A held passes 0..9\nmigrate_pages [A] to node 1 mode MIGRATE_ASYNC\n`, '6.12');
  const [a] = folioFates(r, r.ops[0]);
  assert.equal(a.migrated, 0);
  assert.equal(a.node, 0);
  assert.deepEqual(a.failures, [['EAGAIN', 10]]);
  // migrate_pages_batch() leaves folios still failing with -EAGAIN after the last pass on `from`
  assert.equal(a.list, 'from');
  assert.equal(folioFateText(a), 'EAGAIN ×10 → from');
  assert.equal(opSummaryText(r, r.ops[0]), '→ 1 · 1 folio failed (EAGAIN ×10) · 1 page failed · 10 passes');
});

test('the fate text: split pieces, frees, and untouched folios', () => {
  const base: FolioFate = { folio: 'T', id: 0, failures: [], migrated: 0, node: 0 };
  assert.equal(folioFateText({ ...base, splitInto: 512, migrated: 512, node: 1 }), 'split into 512 · 512 migrated to node 1');
  assert.equal(folioFateText({ ...base, splitInto: 512, failures: [['ENOMEM', 1]], list: 'from' }), 'split into 512 · ENOMEM → from');
  assert.equal(folioFateText({ ...base, migrated: 1, node: -1 }), 'migrated (now freed)');
  assert.equal(folioFateText({ ...base, failures: [['EBUSY', 2], ['EAGAIN', 1]], list: 'ret_folios' }), 'EBUSY ×2, EAGAIN → ret_folios');
  assert.equal(folioFateText(base), 'stays on node 0');
});

test('the pages of a mapping are counted per node after the run, and a mapping too large to walk has no summary', () => {
  const r = go(`${MACHINE}process app\n  mmap heap anon private 64K\n  touch heap write on node 0\nmbind app heap MPOL_BIND nodes 1 flags MPOL_MF_MOVE\n`);
  const m = mappingPages(r.state, 'app', 'heap');
  assert.ok(m);
  assert.deepEqual([...m.nodes], [[1, 16]]);
  assert.equal(mappingPagesText(m), '16 pages: 16 on node 1');
  assert.equal(mappingPages(r.state, 'app', 'nope'), undefined);
  assert.equal(mappingPages(r.state, 'nobody', 'heap'), undefined);
  const big = go(`node 0 memory 4G\nnode 1 memory 4G\nprocess app\n  mmap heap anon private 2G\nmbind app heap MPOL_BIND nodes 1\n`);
  assert.equal(mappingPages(big.state, 'app', 'heap'), undefined);
  assert.equal(mappingPagesText({ nodes: new Map([[1, 2], [0, 1]]), notPresent: 1 }), '4 pages: 1 on node 0 · 2 on node 1 · 1 not present');
});

test('6.1 counts a PTE-mapped THP that cannot be isolated once per PTE; 6.12 once', () => {
  const text = `${MACHINE}process app\n  mmap heap anon private 2M align 2M thp\nfolio T order 9 node 0 anon lru mapped app heap[0..2M] pte\ninject isolate T fails\nmigrate_pages app from 0 to 1\n`;
  const old = go(text, '6.1');
  const now = go(text, '6.12');
  assert.equal(folioFateText(folioFates(old, old.ops[0])[0]), 'isolate_failed ×512');
  assert.equal(folioFateText(folioFates(now, now.ops[0])[0]), 'isolate_failed');
  assert.equal(opSummaryText(now, now.ops[0]), '→ 1 · 1 folio failed (isolate_failed)');
});
