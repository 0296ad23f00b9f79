// migrate_folio_unmap() takes an anon_vma reference through folio_get_anon_vma(), which
// returns NULL for an anon folio that is not mapped (mm/rmap.c: `if (!folio_mapped(folio))
// goto out`): an unmapped anon folio, one in the swap cache say, migrates with no anon_vma
// reference. A mapped one holds the reference until
// migrate_folio_move() drops it (put_anon_vma()).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../scenario';
import { run } from '../../engine';

function anonVmaAtUnmap(folioLine: string, setup = ''): { refAtUnmap: number; refAfter: number } {
  const text = `scenario "anon_vma"
node 0 memory 64M
node 1 memory 64M
${setup}${folioLine}
migrate_pages [X] to node 1 mode MIGRATE_SYNC reason MR_MEMPOLICY_MBIND
  expect return 0
`;
  const r = run(parse(text).scenario, { profile: '6.12' });
  assert.equal(r.error, undefined, r.error?.message);
  const t = r.trace;
  let at = -1;
  for (let i = 0; i < t.n && at < 0; i++) if (t.event(i).name === 'MIGRATEPAGE_UNMAP') at = i;
  assert.ok(at >= 0, 'the folio was unmapped');
  const s = t.stateAt(at);
  const x = t.event(at).folio;
  return { refAtUnmap: s.anonVmaRef(x), refAfter: r.state.anonVmaRef(x) };
}

test('an unmapped anon folio (in the swap cache) migrates without an anon_vma reference', () => {
  assert.deepEqual(anonVmaAtUnmap('folio X order 0 node 0 anon lru swapcache'), { refAtUnmap: 0, refAfter: 0 });
});

test('a mapped anon folio holds an anon_vma reference from unmap to move', () => {
  const setup = 'process app\n  mmap heap anon private 2M nothp\n  touch heap[0..8K] write on node 0\n';
  assert.deepEqual(anonVmaAtUnmap('folio X order 0 node 0 anon lru mapped app heap[1M]', setup), { refAtUnmap: 1, refAfter: 0 });
});
