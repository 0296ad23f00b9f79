// Folio names are shared between the live state and its checkpoints chunk by chunk; a change on
// either side after a share must never show on the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FolioNames } from '../../engine/folio-names';

test('a shared copy keeps its names when the original is renamed or grows, and the other way round', () => {
  const live = new FolioNames();
  for (let f = 0; f < 5000; f += 7) live.set(f, `F${f}`);
  const snap = live.share();
  live.set(7, 'renamed');
  live.set(9000, 'new');
  assert.equal(snap.get(7), 'F7');
  assert.equal(snap.has(9000), false);
  assert.equal(live.get(7), 'renamed');
  const restored = snap.share();
  restored.set(14, 'again');
  assert.equal(snap.get(14), 'F14');
  assert.equal(live.get(14), 'F14');
  assert.equal(restored.get(14), 'again');
  assert.equal(snap.size, Math.ceil(5000 / 7));
  assert.equal(live.size, snap.size + 1);
});

test('iteration gives every name once, in folio-id chunks', () => {
  const t = new FolioNames();
  t.set(5000, 'C');
  t.set(3, 'A');
  t.set(2, 'B');
  t.set(3, 'A2');
  assert.deepEqual([...t], [[3, 'A2'], [2, 'B'], [5000, 'C']]);
  assert.equal(t.size, 3);
});
