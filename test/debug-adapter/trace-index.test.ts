// Trace indexes and the cursor moves they serve: next, stepOut, frame entries, breakpoints found by binary search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceIndex, nextIn, rankIn } from '../../debug-adapter/trace-index';
import { nextTarget, search, stepOutTarget, type SearchHooks } from '../../debug-adapter/runner';
import { makeBreakpoint } from '../../debug-adapter/breakpoints';
import { EventEnv } from '../../debug-adapter/env';
import { SyntheticTrace } from './synthetic';

const t = new SyntheticTrace({ folios: 3, passes: 3, fails: (k) => (k === 1 ? 2 : 0) });
const ix = new TraceIndex(t);
const hooks = (logs: string[] = []): SearchHooks => ({
  envAt: (i) => new EventEnv(t, i, t.stateAt(i)),
  log: (text) => logs.push(text),
  describe: (i) => `#${i}`,
  cancelled: () => false,
});
const code = (name: string): number => t.eventNames.indexOf(name);
const eventsOf = (name: string): number[] => [...Array(t.length).keys()].filter((i) => t.eventCode(i) === code(name));

test('frameStart finds the entry of every frame of the stack', () => {
  for (let i = 0; i < t.length; i++) {
    const s = t.stack(i);
    for (let d = 0; d < s.length; d++) {
      const j = ix.frameStart(i, d);
      assert.equal(t.kind(j), 'entry', `frame ${d} of event ${i} starts at an entry event`);
      assert.equal(t.stack(j)[d], s[d]);
      // nothing between the entry and i left that frame
      for (let k = j; k <= i; k++) assert.ok(t.stack(k).length > d && t.stack(k)[d] === s[d]);
    }
  }
});

test('next stays in the frame: from an unmap entry it goes to the event inside, never deeper', () => {
  const enterUnmap = t.stack.bind(t);
  const i = [...Array(t.length).keys()].find((k) => t.kind(k) === 'entry' && enterUnmap(k).length === 3)!;
  const j = nextTarget(ix, i, true);
  assert.equal(j, i + 1);
  // from the batch-level retry_pass, next skips the whole unmap calls' insides
  const rp = eventsOf('retry_pass')[0];
  const after = nextTarget(ix, rp, true);
  assert.ok(ix.depth[after] <= ix.depth[rp]);
  for (let k = rp + 1; k < after; k++) assert.ok(ix.depth[k] > ix.depth[rp]);
});

test('stepOut stops at the exit event of the current call', () => {
  const i = eventsOf('EAGAIN')[0];
  const j = stepOutTarget(ix, i);
  assert.equal(t.kind(j), 'exit');
  assert.equal(t.stack(j).length, t.stack(i).length);
  assert.equal(ix.frameStart(j, 2), ix.frameStart(i, 2));
});

test('function entries are indexed per function name', () => {
  assert.equal(ix.entriesOf('migrate_pages_batch').length, 3, 'one batch per pass');
  assert.equal(ix.entriesOf('migrate_folio_move').length, 3, 'each folio moves once');
  assert.equal(ix.entriesOf('nosuch').length, 0);
  assert.deepEqual([...ix.functions].sort(), ['migrate_folio_move', 'migrate_folio_unmap', 'migrate_pages', 'migrate_pages_batch']);
});

test('nextIn and rankIn search sorted events both ways', () => {
  const a = Int32Array.from([2, 5, 9]);
  assert.equal(nextIn(a, -1, true), 2);
  assert.equal(nextIn(a, 5, true), 9);
  assert.equal(nextIn(a, 9, true), -1);
  assert.equal(nextIn(a, 5, false), 2);
  assert.equal(nextIn(a, 2, false), -1);
  assert.equal(rankIn(a, 5), 2);
});

test('an event breakpoint with a condition stops only where it holds, forwards and backwards', async () => {
  const eagain = eventsOf('EAGAIN');
  assert.equal(eagain.length, 2, 'F1 fails in passes 0 and 1');
  const { bp } = makeBreakpoint('exception', 'EAGAIN', ix.eventsNamed(code('EAGAIN')), { condition: 'pass >= 1 && folio == F1' });
  const goal = { index: t.length - 1, reason: 'pause', description: 'end' };
  const s = await search(ix, -1, true, goal, [bp], hooks());
  assert.equal(s.index, eagain[1]);
  assert.equal(s.reason, 'exception');
  const back = await search(ix, t.length - 1, false, { index: 0, reason: 'entry', description: 'start' }, [bp], hooks());
  assert.equal(back.index, eagain[1]);
  const none = await search(ix, eagain[1], true, goal, [bp], hooks());
  assert.equal(none.index, t.length - 1, 'no later hit: runs to the end');
});

test('hit counts count from the start of the trace; log points print instead of stopping', async () => {
  const unmaps = eventsOf('MIGRATEPAGE_UNMAP');
  const { bp } = makeBreakpoint('exception', 'MIGRATEPAGE_UNMAP', ix.eventsNamed(code('MIGRATEPAGE_UNMAP')), { hitCondition: '3' });
  const goal = { index: t.length - 1, reason: 'pause', description: 'end' };
  assert.equal((await search(ix, -1, true, goal, [bp], hooks())).index, unmaps[2]);
  const logs: string[] = [];
  const { bp: lp } = makeBreakpoint('exception', 'MIGRATEPAGE_UNMAP', ix.eventsNamed(code('MIGRATEPAGE_UNMAP')), { logMessage: 'unmapped {folio.name} in pass {pass}' });
  const s = await search(ix, -1, true, goal, [lp], hooks(logs));
  assert.equal(s.index, t.length - 1);
  assert.deepEqual(logs, ['unmapped F0 in pass 0\n', 'unmapped F2 in pass 0\n', 'unmapped F1 in pass 2\n']);
});

test('a data breakpoint stops where the watched value changes, in both directions', async () => {
  const { bp } = makeBreakpoint('data', 'F1.node', new Int32Array(0), { expr: 'F1.node' });
  const goal = { index: t.length - 1, reason: 'pause', description: 'end' };
  const s = await search(ix, 0, true, goal, [bp], hooks());
  assert.equal(s.index, t.migratedAt[1]);
  assert.equal(s.reason, 'data breakpoint');
  assert.match(s.description, /F1\.node changed: 0 → 1/);
  const b = await search(ix, t.length - 1, false, { index: 0, reason: 'entry', description: 'start' }, [bp], hooks());
  assert.equal(b.index, t.migratedAt[1]);
  assert.match(b.description, /0 → 1/);
});

test('a condition that cannot be evaluated stops and says why', async () => {
  const logs: string[] = [];
  const { bp } = makeBreakpoint('exception', 'EAGAIN', ix.eventsNamed(code('EAGAIN')), { condition: 'nosuch > 1' });
  const s = await search(ix, -1, true, { index: t.length - 1, reason: 'pause', description: 'end' }, [bp], hooks(logs));
  assert.equal(s.index, eventsOf('EAGAIN')[0]);
  assert.match(logs[0], /unknown name 'nosuch'/);
});
