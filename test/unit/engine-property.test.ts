// Property tests of the engine with fast-check: random folio sets (kinds, orders, flags,
// mappings), random injections and random internal migrate_pages() calls, under every
// kernel profile. The invariants are checked after every event: a run may stop on
// input the model refuses (a lock held forever in SYNC, an unrecoverable machine check),
// never on a broken invariant or an internal error. The same input always gives a
// byte-identical trace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '../../scenario';
import { run, exportFtrace, exportJson, getProfile, profileNames } from '../../engine';
import type { MutationLog } from '../../engine/state';

const KINDS = ['anon', 'anon', 'anon', 'file', 'shmem', 'ksm', 'movable'] as const;
const FLAGS = ['dirty', 'writeback', 'mlocked', 'deferred_split', 'private', 'notuptodate', 'locked'] as const;
const MODES = ['MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT', 'MIGRATE_SYNC'] as const;
const REASONS = ['MR_COMPACTION', 'MR_SYSCALL', 'MR_NUMA_MISPLACED', 'MR_LONGTERM_PIN', 'MR_MEMORY_FAILURE', 'MR_DEMOTION'] as const;

const folioArb = fc.record({
  kind: fc.constantFrom(...KINDS),
  large: fc.boolean(),
  node: fc.integer({ min: 0, max: 1 }),
  flags: fc.subarray([...FLAGS], { maxLength: 3 }),
  mapped: fc.constantFrom('none', 'pte', 'pmd', 'twice'),
  pins: fc.constantFrom(0, 0, 0, 1),
});

const injectArb = fc.oneof(
  fc.record({ t: fc.constant('lock' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 9 }), len: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('dst_lock' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 9 }), len: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('ref' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 9 }), len: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ t: fc.constant('writeback' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 9 }), len: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('alloc' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 6 }), len: fc.constant(0) }),
  fc.record({ t: fc.constant('split' as const), f: fc.nat(), a: fc.constant(0), len: fc.constant(0) }),
  fc.record({ t: fc.constant('isolate' as const), f: fc.nat(), a: fc.constant(0), len: fc.constant(0) }),
  fc.record({ t: fc.constant('movable' as const), f: fc.nat(), a: fc.integer({ min: 0, max: 9 }), len: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ t: fc.constant('mce' as const), f: fc.nat(), a: fc.constant(0), len: fc.constant(0) }),
  fc.record({ t: fc.constant('private' as const), f: fc.nat(), a: fc.constant(0), len: fc.constant(0) }),
  fc.record({ t: fc.constant('release' as const), f: fc.nat(), a: fc.constant(0), len: fc.constant(0) }),
);

const callArb = fc.record({
  pick: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
  to: fc.integer({ min: 0, max: 2 }),
  mode: fc.constantFrom(...MODES),
  reason: fc.constantFrom(...REASONS),
  memalloc: fc.boolean(),
});

const scenarioArb = fc.record({
  folios: fc.array(folioArb, { minLength: 1, maxLength: 7 }),
  injects: fc.array(injectArb, { maxLength: 4 }),
  calls: fc.array(callArb, { minLength: 1, maxLength: 3 }),
  noThpMigration: fc.constantFrom(false, false, false, true),
});

type Gen = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The scenario text for a generated case. */
function render(g: Gen): string {
  const L: string[] = ['scenario "generated"', ...(g.noThpMigration ? ['config ARCH_ENABLE_THP_MIGRATION n'] : []), 'node 0 memory 64M', 'node 1 memory 64M', 'node 2 memory 8M', 'process app', '  mmap heap anon private 32M align 2M', '  mmap data file shared 4M', '  mmap shm shmem shared 4M'];
  const names: string[] = [];
  let pmdSlot = 0;
  let pteSlot = 0;
  g.folios.forEach((f, i) => {
    const name = `F${i}`;
    names.push(name);
    const order = f.large && (f.kind === 'anon' || f.kind === 'file' || f.kind === 'shmem') ? 9 : 0;
    const flags = f.flags.filter((x) => !(x === 'deferred_split' && order === 0));
    let mapped = '';
    const where = f.kind === 'file' ? 'data' : f.kind === 'shmem' ? 'shm' : 'heap';
    const mappable = f.kind !== 'movable';
    if (mappable && f.mapped === 'pmd' && order === 9 && where === 'heap') mapped = ` mapped app heap[${(pmdSlot++ * 2) + 16}M] pmd`;
    else if (mappable && f.mapped !== 'none') {
      const span = order === 9 ? 2048 : 4;
      const base = where === 'heap' ? pteSlot * 2048 : (pteSlot % 2) * 2048;
      pteSlot++;
      if (where === 'heap' || pteSlot <= 2) {
        mapped = ` mapped app ${where}[${base}K]`;
        if (f.mapped === 'twice' && order === 0) mapped += ` mapped app ${where}[${base + span}K]`;
      }
    }
    const pins = f.pins && mapped ? ` pins ${f.pins}` : '';
    L.push(`folio ${name} order ${order} node ${f.node} ${f.kind} lru ${flags.join(' ')}${pins}${mapped}`.replace(/\s+/g, ' ').trim());
  });
  for (const j of g.injects) {
    const f = names[j.f % names.length];
    const passes = ` passes ${j.a}..${j.a + j.len}`;
    switch (j.t) {
      case 'lock': L.push(`inject lock ${f} held${passes}`); break;
      case 'dst_lock': L.push(`inject dst_lock ${f} held${passes}`); break;
      case 'ref': L.push(`inject ref ${f} +1${passes}`); break;
      case 'writeback': L.push(`inject writeback ${f}${passes}`); break;
      case 'alloc': L.push(`inject alloc node 1 fails after ${j.a}`); break;
      case 'split': L.push(`inject split ${f} fails with EAGAIN`); break;
      case 'isolate': L.push(`inject isolate ${f} fails`); break;
      case 'movable': L.push(`inject movable ${f} returns EAGAIN${passes}`); break;
      case 'mce': L.push(`inject mce ${f}`); break;
      case 'private': L.push(`inject private ${f} unreleasable`); break;
      case 'release': if (g.folios[j.f % names.length].kind === 'movable') L.push(`inject release ${f}`); break;
    }
  }
  for (const c of g.calls) {
    const picked = [...new Set(c.pick.map((k) => names[k % names.length]))];
    L.push(`migrate_pages [${picked.join(', ')}] to node ${c.to} mode ${c.mode} reason ${c.reason}${c.memalloc ? ' memalloc' : ''}`);
    L.push('  expect return 0');
  }
  return L.join('\n') + '\n';
}

/** Errors the model may legitimately stop with on generated input. */
const ACCEPTED = [/would block forever/, /not recoverable/, /was freed earlier/, /has no room/, /does not exist in kernel/, /is listed twice/, /the mapping is/, /already mapped/, /falls outside/];

for (const profile of profileNames()) {
  test(`random folios, injections and migrate_pages() calls keep every invariant on kernel ${profile}`, () => {
    fc.assert(
      fc.property(scenarioArb, (g) => {
        const text = render(g);
        const p = parse(text);
        const perr = p.diagnostics.filter((d) => d.severity === 'error');
        if (perr.length) throw new Error(`generator wrote a bad scenario:\n${text}\n${perr.map((d) => d.message).join('\n')}`);
        const r = run(p.scenario, { profile, invariants: true, maxEvents: 2_000_000 });
        if (r.error && !ACCEPTED.some((re) => re.test(r.error!.message))) {
          throw new Error(`line ${r.error.line + 1}: ${r.error.message}\n--- scenario ---\n${text}`);
        }
      }),
      { numRuns: 80, seed: 20261122 + profile.length },
    );
  });

  const logRecords = (l: MutationLog): number[][] => Array.from({ length: l.n }, (_, i) => [l.opAt(i), l.aAt(i), l.bAt(i), l.cAt(i)]);

  test(`the same scenario always gives a byte-identical trace on kernel ${profile}`, () => {
    fc.assert(
      fc.property(scenarioArb, (g) => {
        const text = render(g);
        const a = run(parse(text).scenario, { profile });
        const b = run(parse(text).scenario, { profile });
        const prof = getProfile(profile)!;
        assert.equal(JSON.stringify(exportJson(a)), JSON.stringify(exportJson(b)));
        assert.equal(exportFtrace(a, prof), exportFtrace(b, prof));
        assert.deepEqual(logRecords(a.trace.log), logRecords(b.trace.log));
      }),
      { numRuns: 25, seed: 7 + profile.length },
    );
  });
}
