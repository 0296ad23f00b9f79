// Unit tests of the parity pieces that need no QEMU: the scenario → action-list
// compiler, the runner-output reader and the field-by-field comparison.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../scenario/index';
import { run } from '../../engine/index';
import { realize } from '../../engine/realize';
import { parseRunnerOutput } from '../../parity/results';
import { compareCase } from '../../parity/compare';
import { parseParityArgs } from '../../cli/commands/parity';
import { profileForImage } from '../../parity/images';

const BASE = `scenario "t"
node 0 memory 1G
node 1 memory 1G
process app
  mmap heap anon private 2M align 2M thp
  touch heap write on node 0
  mprotect heap[0..4K] read
process kid user nobody fork app
migrate_pages app from 0 to 1
  expect return 0
  expect page app heap[8K] on node 1
`;

test('realize compiles processes, mappings and an operation into runner actions tied to scenario lines', () => {
  const r = realize(parse(BASE).scenario, 'base.mig');
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(
    r.value.actions,
    [
      '0 case base.mig',
      '4 proc app 0 0 0',
      '5 mmap app heap anon private 2097152 2097152 thp - rw',
      '6 touch app app:heap+0 2097152 write 0',
      '7 mprotect app app:heap+0 4096 r',
      '8 fork kid app 65534 0 0',
      '9 op migrate_pages app app 65 0x1 0x2',
      '11 page 9 app app:heap+8192 1',
      '',
    ].join('\n'),
  );
  assert.deepEqual(r.value.ops, [{ line: 8, kind: 'migrate_pages_syscall', caller: 'app', pages: [{ line: 10, proc: 'app' }] }]);
  assert.equal(r.value.movableBytes, 0n);
});

test('realize refuses a model-only scenario with the line that makes it model-only', () => {
  const text = BASE.replace('process kid', 'folio A order 0 node 0 anon lru\nprocess kid');
  const r = realize(parse(text).scenario, 'x');
  assert.equal(r.ok, false);
  assert.ok(!r.ok && r.line === 7 && /folio/.test(r.message), JSON.stringify(r));
});

test("realize refuses node 2, which is the harness's own node on a real kernel", () => {
  const r = realize(parse(BASE.replace('from 0 to 1', 'from 0 to 2')).scenario, 'x');
  assert.ok(!r.ok && r.line === 8 && /harness/.test(r.message), JSON.stringify(r));
});

test('realize refuses a FOLL_LONGTERM retry bound, which no released kernel has', () => {
  const text = BASE.replace('migrate_pages app from 0 to 1', 'pin app heap[0..8K] longterm retries 3');
  const r = realize(parse(text).scenario, 'x');
  assert.ok(!r.ok && r.line === 8 && /retry/.test(r.message), JSON.stringify(r));
});

test('realize passes ZONE_MOVABLE sizes on for a movablecore= boot', () => {
  const r = realize(parse(BASE.replace('node 0 memory 1G', 'node 0 memory 1G movable 512M')).scenario, 'x');
  assert.ok(r.ok && r.value.movableBytes === 512n << 20n);
});

const OUT = `@@MIGTRACE-BEGIN
{"t":"boot","uname":"6.1.0-56-cloud-amd64","nodes":[1,1,1],"event":true,"kprobe":true,"movable":[0,0,0],"own_pages":[0,0,500]}
{"t":"case","case":"base.mig","file":"/cases/c0000.act","pid":100}
{"t":"act","case":"base.mig","line":5,"verb":"mmap","proc":"app","ret":140000000000000,"errno":0,"errname":""}
[   12.000000] some kernel noise
{"t":"op","case":"base.mig","line":9,"kind":"migrate_pages","ret":3,"errno":0,"errname":"","status":null,"vmstat":{"pgmigrate_success":500,"pgmigrate_fail":0,"thp_migration_success":0,"thp_migration_fail":0,"thp_migration_split":0},"trace":[{"pid":101,"own":true,"succeeded":500,"failed":0,"thp_succeeded":0,"thp_failed":0,"thp_split":0,"mode":"MIGRATE_SYNC","reason":"syscall_or_cpuset"},{"pid":55,"own":false,"succeeded":1,"failed":0,"thp_succeeded":0,"thp_failed":0,"thp_split":0,"mode":"MIGRATE_ASYNC","reason":"compaction"}],"kret":[{"pid":101,"own":true,"ret":3,"from":"migrate_to_node"}],"ms":5}
{"t":"page","case":"base.mig","line":11,"op":9,"proc":"app","addr":140000000008192,"ret":0,"errno":0,"nodes":["-EFAULT"]}
{"t":"end","case":"base.mig","ok":true}
@@MIGTRACE-END
`;

test('the runner output is read per case, with kernel noise set aside', () => {
  const o = parseRunnerOutput(OUT);
  assert.equal(o.boot?.uname, '6.1.0-56-cloud-amd64');
  const c = o.cases.get('c0000');
  assert.ok(c && c.ended && c.ok);
  assert.equal(c.ops.get(9)?.ret, 3);
  assert.deepEqual(c.pages.get(11)?.nodes, ['-EFAULT']);
  assert.deepEqual(o.junk, ['[   12.000000] some kernel noise']);
});

test('a difference names the line, the field, the engine value and the kernel value; foreign trace lines are ignored', () => {
  const sc = parse(BASE).scenario;
  const r = realize(sc, 'base.mig');
  assert.ok(r.ok);
  const engine = run(sc, { profile: '6.1' });
  assert.equal(engine.error, undefined);
  const diffs = compareCase(r.value, engine, parseRunnerOutput(OUT).cases.get('c0000'));
  const get = (field: string) => diffs.find((d) => d.field === field);
  assert.deepEqual(get('return'), { line: 8, field: 'return', engine: '0', kernel: '3' });
  assert.deepEqual(get('vmstat pgmigrate_success'), { line: 8, field: 'vmstat pgmigrate_success', engine: '512', kernel: '500' });
  assert.deepEqual(get('page'), { line: 10, field: 'page', engine: 'node 1', kernel: 'no page' });
  assert.deepEqual(get('migrate_pages() return'), { line: 8, field: 'migrate_pages() return', engine: '[0]', kernel: '[3]' });
  assert.equal(get('mm_migrate_pages lines'), undefined, 'the compaction line of another pid must not count');
  assert.deepEqual(get('mm_migrate_pages[0] succeeded'), { line: 8, field: 'mm_migrate_pages[0] succeeded', engine: '512', kernel: '500' });
});

test('a case that never ran is reported, not passed', () => {
  const sc = parse(BASE).scenario;
  const r = realize(sc, 'base.mig');
  assert.ok(r.ok);
  const diffs = compareCase(r.value, run(sc, { profile: '6.12' }), undefined);
  assert.equal(diffs.length, 1);
  assert.match(diffs[0].kernel, /did not run/);
});

test('parity arguments: files and repeated --kernel; no files is an error', () => {
  assert.deepEqual(parseParityArgs(['a.mig', '--kernel', '6.1', '--kernel=./bzImage', 'b.mig']), { files: ['a.mig', 'b.mig'], kernels: ['6.1', './bzImage'] });
  assert.ok('error' in parseParityArgs(['--kernel', '6.1']));
  assert.ok('error' in parseParityArgs(['a.mig', '--kernel']));
});

test("a user's kernel image is compared with the newest profile not newer than its version", () => {
  const profiles = ['6.12', '6.1', '6.3-rc1'];
  assert.equal(profileForImage('/src/linux/vmlinuz-6.13.0-rc2', profiles), '6.12');
  assert.equal(profileForImage('/boot/vmlinuz-6.2.0', profiles), '6.1');
  assert.equal(profileForImage('/src/linux/arch/x86/boot/bzImage', profiles), '6.12');
});
