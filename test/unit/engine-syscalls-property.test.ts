// Property tests of the syscall layer: random machines, mappings and sequences of
// mbind / migrate_pages(2) / move_pages / pin / migrate_vma / NUMA faults run under
// every profile with the invariants checked after every event. A run may stop on bad
// input with a message naming the line (a NUMA fault on an unmapped page), but never on
// an invariant violation or an internal error; the same scenario must give the same
// results and the same trace twice.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from '../../scenario/index';
import { run } from '../../engine/index';

const MAPS = ['a', 'b', 'c', 'f', 'h', 'd'] as const;
const SIZES: Record<string, number> = { a: 16, b: 2048, c: 8, f: 8, h: 2048, d: 64 }; // KiB

const nodeList = fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }).map((ns) => ns.sort().join(','));
const mapName = fc.constantFrom(...MAPS);
const page = (m: string) => fc.integer({ min: 0, max: SIZES[m] / 4 - 1 }).map((i) => `${m}[${i * 4}K]`);
const anyPage = mapName.chain(page);
const flags = fc.subarray(['MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL', 'MPOL_MF_STRICT'], { minLength: 0 }).map((f) => (f.length ? ` flags ${f.join('|')}` : ''));

const op = fc.oneof(
  fc.tuple(mapName, fc.constantFrom('MPOL_BIND', 'MPOL_PREFERRED', 'MPOL_INTERLEAVE', 'MPOL_PREFERRED_MANY'), nodeList, flags).map(([m, mode, ns, fl]) => `mbind app ${m} ${mode} nodes ${ns}${fl}`),
  fc.tuple(nodeList, nodeList, fc.boolean()).map(([a, b, by]) => `migrate_pages app from ${a} to ${b}${by ? ' by other' : ''}`),
  fc.array(fc.tuple(anyPage, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 5 }).chain((ps) =>
    fc.constantFrom(' flags MPOL_MF_MOVE', ' flags MPOL_MF_MOVE_ALL', '').map((fl) => `move_pages app pages ${ps.map((p) => p[0]).join(', ')} nodes ${ps.map((p) => p[1]).join(', ')}${fl}`),
  ),
  fc.array(anyPage, { minLength: 1, maxLength: 4 }).map((ps) => `move_pages app pages ${ps.join(', ')}`),
  fc.tuple(fc.constantFrom('a', 'c', 'd', 'h'), fc.constantFrom('longterm', 'ref')).map(([m, k]) => `pin app ${m} ${k}${k === 'longterm' ? ' retries 5' : ''}`),
  fc.constantFrom('a', 'b', 'd', 'h').map((m) => `migrate_vma app ${m}[0..16K] select system`),
  fc.tuple(fc.constantFrom('a[0]', 'a[4K]', 'b[0]', 'f[0]'), fc.integer({ min: 0, max: 2 })).map(([p, n]) => `numa_fault app ${p} to node ${n}`),
);

const scenario = fc.record({
  user: fc.constantFrom('root', 'nobody'),
  fork: fc.boolean(),
  movable: fc.boolean(),
  touches: fc.array(fc.tuple(anyPage, fc.constantFrom('read', 'write'), fc.integer({ min: 0, max: 2 })), { maxLength: 8 }),
  thp: fc.boolean(),
  huge: fc.boolean(),
  split: fc.constantFrom('', '  mprotect b[0..4K] read', '  munmap b[0..8K]', '  munmap a[4K..8K]'),
  declared: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom('anon', 'ksm'), fc.boolean()), { maxLength: 3 }),
  injects: fc.array(fc.constantFrom('isolate X0 fails', 'ref X0 +1', 'lock X0 held passes 0..4', 'writeback X1', 'alloc fails after 1', 'alloc node 1 fails always', 'ref X1 +1 passes 0..2'), { maxLength: 3 }),
  ops: fc.array(op, { minLength: 1, maxLength: 6 }),
}).map((s) => {
  const lines = [
    'node 0 memory 64M hugepages 2' + (s.movable ? ' movable 32M' : ''),
    'node 1 memory 64M hugepages 2',
    'node 2 memory 64M hugepages 1',
    `process app user ${s.user}`,
    '  mmap a anon private 16K nothp',
    '  mmap b anon private 2M align 2M thp',
    '  mmap c anon shared 8K',
    '  mmap f file shared 8K',
    '  mmap h hugetlb private 2M',
    '  mmap d anon private 64K nothp',
    ...(s.thp ? ['  touch b write on node 0'] : []),
    ...(s.huge ? ['  touch h write on node 0'] : []),
    ...s.touches.map(([p, acc, n]) => (p.startsWith('f') || acc === 'write' ? `  touch ${p} write on node ${n}` : `  touch ${p} read`)),
    ...(s.split && (s.thp || !s.split.includes('b[')) ? [s.split] : []),
    ...s.declared.map(([slot, n, kind, second], i) => `folio X${i} order 0 node ${n} ${kind} lru mapped app d[${slot * 8}K]${second ? ` mapped app d[${slot * 8 + 4}K]` : ''}`),
    ...s.injects.filter((x) => !/X(\d)/.test(x) || Number(/X(\d)/.exec(x)![1]) < s.declared.length).map((x) => `inject ${x}`),
    'process other user nobody',
    ...(s.fork ? ['process child fork app'] : []),
    ...s.ops,
  ];
  return lines.join('\n') + '\n';
});

function fingerprint(text: string, profile: string): string {
  const r = run(parse(text).scenario, { profile, invariants: true, maxEvents: 2_000_000 });
  const msg = r.error?.message ?? '';
  assert.ok(!/invariant broken|internal error/.test(msg), `${profile}: ${msg} (line ${(r.error?.line ?? 0) + 1})\n${text}`);
  return JSON.stringify({ e: r.error, ops: r.ops.map((o) => [o.ret, o.status, o.counts]), n: r.trace.n, t: Array.from(r.trace.type.subarray(0, r.trace.n)) });
}

test('random syscall sequences keep the invariants and are deterministic under every profile', () => {
  fc.assert(
    fc.property(scenario, (text) => {
      for (const profile of ['6.1', '6.3-rc1', '6.12']) {
        const a = fingerprint(text, profile);
        const b = fingerprint(text, profile);
        assert.equal(a, b, `${profile}: two runs differ\n${text}`);
      }
    }),
    { numRuns: 40, seed: 20261122 },
  );
});
