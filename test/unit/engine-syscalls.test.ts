// Unit tests of the syscall layer on hand-built memory (no mmap/touch layer):
// the rules a scenario cannot isolate as sharply — the move_pages flush arithmetic,
// do_migrate_pages' node pairing, qp->large counting per profile, the GUP loop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../scenario/index';
import type { Operation } from '../../scenario/ast';
import { MemState, Kind, F, Pte, Zone, packPte, Process, Vma, FolioId } from '../../engine/state';
import { Trace } from '../../engine/trace';
import { Context } from '../../engine/context';
import { Injections } from '../../engine/inject';
import { getProfile } from '../../engine/profiles';
import { runSyscallOp } from '../../engine/syscalls';

const PS = 4096;

interface World {
  ctx: Context;
  st: MemState;
  proc(name: string, opts?: { uid?: number; nice?: boolean }): Process;
  vma(p: Process, name: string, start: number, pages: number, backing?: Vma['backing'], shared?: boolean): Vma;
  page(p: Process, addr: number, node: number, opts?: { order?: number; zone?: number; share?: Process }): FolioId;
  op(line: string): Operation;
}

function world(profile = '6.12', nodes = [0, 1]): World {
  const st = new MemState();
  st.setNodes(nodes.map((id) => ({ id, memoryPages: 16384, movablePages: id === 0 ? 4096 : 0, cmaPages: 0, hugepages: 0 })));
  const trace = new Trace(st);
  const prof = getProfile(profile);
  if (!prof) throw new Error(profile);
  const ctx = new Context(st, prof, trace, new Injections());
  let mapping = 1;
  return {
    ctx,
    st,
    proc(name, opts = {}) {
      const p: Process = { id: st.procs.length, name, uid: opts.uid ?? 0, capSysNice: !!opts.nice, cpuNode: 0, policy: { mode: 0, nodes: [], flags: 0 }, vmas: [] };
      st.setProcess(p);
      return p;
    },
    vma(p, name, start, pages, backing = 'anon', shared = false) {
      const v: Vma = { name, start, end: start + pages * PS, backing, shared, prot: 3, locked: false, thp: 'default', mappingId: mapping++, pgoff: 0 };
      const cur = st.procs[p.id];
      st.setProcess({ ...cur, vmas: [...cur.vmas, v].sort((a, b) => a.start - b.start) });
      return v;
    },
    page(p, addr, node, opts = {}) {
      const order = opts.order ?? 0;
      const f = st.newFolio({ kind: Kind.ANON, order, node, zone: opts.zone ?? Zone.NORMAL, flags: F.LRU | F.UPTODATE | (opts.share ? 0 : F.ANON_EXCLUSIVE), refcount: 0, mapping: 1 });
      for (let i = 0; i < 2 ** order; i++) {
        for (const q of opts.share ? [p, opts.share] : [p]) {
          st.setPte(q.id, addr / PS + i, packPte(f, i, Pte.PRESENT | Pte.WRITE));
          st.addMapcount(f, 1);
          st.addRef(f, 1);
        }
      }
      return f;
    },
    op(line) {
      const { scenario } = parse(`node 0 memory 64M\nnode 1 memory 64M\n${line}\n`);
      const o = scenario.statements.find((s) => s.kind !== 'node');
      if (!o) throw new Error(`no operation in: ${line}`);
      return o as Operation;
    },
  };
}

test('move_pages returns failed folios plus untried entries minus one when the flush follows an error entry', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 1);
  w.vma(app, 'tail', 0x12000, 2);
  const pinned = w.page(app, 0x10000, 0);
  w.st.addRef(pinned, 1); // a vmsplice-style extra reference
  w.page(app, 0x12000, 0);
  w.page(app, 0x13000, 0);
  // entry 1 (0x11000) has no VMA: -EFAULT, then the batch [entry 0] is flushed and fails
  const out = runSyscallOp(w.ctx, w.op('move_pages app pages buf[0], 0x11000, tail[0], tail[4K] nodes 1, 1, 1, 1 flags MPOL_MF_MOVE'));
  assert.equal(out?.ret, 3);
  assert.deepEqual(out?.status, [null, -14, null, null]);
});

test('move_pages writes the batch status only when the whole batch migrated', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 2);
  const a = w.page(app, 0x10000, 0);
  const b = w.page(app, 0x11000, 0);
  const out = runSyscallOp(w.ctx, w.op('move_pages app pages buf[0], buf[4K] nodes 1, 1 flags MPOL_MF_MOVE'));
  assert.equal(out?.ret, 0);
  assert.deepEqual(out?.status, [1, 1]);
  assert.ok(w.st.has(a, F.FREED) && w.st.has(b, F.FREED), 'the sources were freed after migration');
});

test('move_pages reports an untouched page as -ENOENT on 6.12 and -EFAULT on 6.1', () => {
  for (const [prof, errno] of [['6.12', -2], ['6.1', -14]] as const) {
    const w = world(prof);
    const app = w.proc('app');
    w.vma(app, 'buf', 0x10000, 2);
    w.page(app, 0x10000, 0);
    const out = runSyscallOp(w.ctx, w.op('move_pages app pages buf[0], buf[4K]'));
    assert.deepEqual(out?.status, [0, errno], prof);
  }
});

test('migrate_pages(2) counts an unisolatable PTE-mapped large folio once on 6.12 and not at all on 6.1', () => {
  for (const [prof, ret] of [['6.12', 1], ['6.1', 0]] as const) {
    const w = world(prof);
    const app = w.proc('app');
    w.vma(app, 'buf', 0x100000, 16);
    const l = w.page(app, 0x100000, 0, { order: 4 });
    w.ctx.inject.isolateFail.add(l);
    const out = runSyscallOp(w.ctx, w.op('migrate_pages app from 0 to 1'));
    assert.equal(out?.ret, ret, prof);
  }
});

test('do_migrate_pages moves 1->2 before 0->1 so nothing moves twice', () => {
  const w = world('6.12', [0, 1, 2]);
  const app = w.proc('app');
  w.vma(app, 'a', 0x10000, 1);
  w.vma(app, 'b', 0x20000, 1);
  const fa = w.page(app, 0x10000, 0);
  const fb = w.page(app, 0x20000, 1);
  const { scenario } = parse('node 0 memory 64M\nnode 1 memory 64M\nnode 2 memory 64M\nmigrate_pages app from 0,1 to 1,2\n');
  const out = runSyscallOp(w.ctx, scenario.statements[3] as Operation);
  assert.equal(out?.ret, 0);
  assert.ok(w.st.has(fa, F.FREED) && w.st.has(fb, F.FREED));
  const nodeAt = (addr: number) => w.st.node(Math.floor(w.st.getPte(app.id, addr / PS) / 2 ** 30));
  assert.equal(nodeAt(0x10000), 1);
  assert.equal(nodeAt(0x20000), 2);
  assert.equal(w.ctx.trace.n > 0, true);
});

test('mbind STRICT|MOVE returns EIO for a folio that cannot be isolated but still moves the others', () => {
  for (const prof of ['6.1', '6.12']) {
    const w = world(prof);
    const app = w.proc('app');
    w.vma(app, 'buf', 0x10000, 2);
    const a = w.page(app, 0x10000, 0);
    const b = w.page(app, 0x11000, 0);
    w.ctx.inject.isolateFail.add(a);
    const out = runSyscallOp(w.ctx, w.op('mbind app buf MPOL_BIND nodes 1 flags MPOL_MF_MOVE|MPOL_MF_STRICT'));
    assert.equal(out?.ret, -5, prof);
    assert.ok(!w.st.has(a, F.FREED), `${prof}: A stays`);
    assert.ok(w.st.has(b, F.FREED), `${prof}: B moved`);
  }
});

test('a FOLL_LONGTERM pin migrates a ZONE_MOVABLE folio out of the movable zone and pins it on the second round', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 1);
  const f = w.page(app, 0x10000, 0, { zone: Zone.MOVABLE });
  const out = runSyscallOp(w.ctx, w.op('pin app buf longterm'));
  assert.equal(out?.ret, 1);
  assert.deepEqual(out?.counts, { pinned: 1, passes: 2 });
  assert.ok(w.st.has(f, F.FREED));
  const now = Math.floor(w.st.getPte(app.id, 0x10000 / PS) / 2 ** 30);
  assert.equal(w.st.zone(now), Zone.NORMAL);
  assert.equal(w.st.pins(now), 1);
});

test('migrate_vma collects populated pages and anonymous holes, and restores a page with an extra reference', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 4);
  w.page(app, 0x10000, 0);
  const extra = w.page(app, 0x11000, 0);
  w.st.addRef(extra, 1);
  const out = runSyscallOp(w.ctx, w.op('migrate_vma app buf select system'));
  assert.equal(out?.ret, 0);
  assert.deepEqual(out?.counts, { cpages: 3, npages: 4 });
  assert.equal(w.st.node(Math.floor(w.st.getPte(app.id, 0x11000 / PS) / 2 ** 30)), 0);
});

test('mbind argument checks return the kernel errnos in the kernel order', () => {
  const w = world();
  const app = w.proc('app', { uid: 65534 });
  w.vma(app, 'buf', 0x10000, 1);
  w.vma(app, 'far', 0x30000, 1);
  w.page(app, 0x10000, 0);
  const ret = (line: string) => runSyscallOp(w.ctx, w.op(line))?.ret;
  assert.equal(ret('mbind app buf MPOL_BIND nodes 1 flags MPOL_MF_LAZY'), -22);
  assert.equal(ret('mbind app buf MPOL_BIND nodes 1 flags MPOL_MF_MOVE_ALL'), -1);
  assert.equal(ret('mbind app buf[100..4K] MPOL_BIND nodes 1'), -22);
  assert.equal(ret('mbind app buf MPOL_DEFAULT nodes 0'), -22);
  assert.equal(ret('mbind app buf MPOL_BIND'), -22);
  assert.equal(ret('mbind app buf MPOL_LOCAL nodes 0'), -22);
  assert.equal(ret('mbind app buf MPOL_PREFERRED'), 0);
  assert.equal(ret('mbind app 0x20000 MPOL_BIND nodes 1'), -14);
  assert.equal(ret('mbind app buf MPOL_BIND nodes 1 flags MPOL_MF_STRICT'), -5);
});

test('migrate_pages(2) checks maxnode, the pid and the caller\'s rights before moving anything', () => {
  const w = world();
  const root = w.proc('root');
  w.proc('nobody', { uid: 65534 });
  w.vma(root, 'buf', 0x10000, 1);
  const f = w.page(root, 0x10000, 0);
  const ret = (line: string) => runSyscallOp(w.ctx, w.op(line))?.ret;
  assert.equal(ret('migrate_pages root from 0 to 1 maxnode 0xffffffffffffffff'), -22);
  assert.equal(ret('migrate_pages root from 0 to 1 maxnode 32770'), -22);
  assert.equal(ret('migrate_pages pid 99999 from 0 to 1 by root'), -3);
  assert.equal(ret('migrate_pages root from 0 to 1 by nobody'), -1);
  assert.equal(ret('migrate_pages nobody from 0 to 5'), -1);
  assert.equal(ret('migrate_pages root from 0 to 5'), -22);
  assert.ok(!w.st.has(f, F.FREED), 'nothing moved');
  assert.equal(ret('migrate_pages root from 0 to 1 maxnode 32769'), 0);
  assert.ok(w.st.has(f, F.FREED), 'moved by the valid call');
});

test('a NUMA hinting fault does not split a THP when the destination allocation fails', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'heap', 0x200000, 512);
  const t = w.st.newFolio({ kind: Kind.ANON, order: 9, node: 0, zone: Zone.NORMAL, flags: F.LRU | F.UPTODATE | F.ANON_EXCLUSIVE, refcount: 1, mapping: 1 });
  w.st.setPmd(app.id, 0x200000 / PS, packPte(t, 0, Pte.PRESENT | Pte.WRITE));
  w.st.addMapcount(t, 1);
  w.ctx.inject.alloc.push({ mode: 'always', arg: 0, line: 0, seen: 0 });
  const out = runSyscallOp(w.ctx, w.op('numa_fault app heap[0] to node 1'));
  assert.equal(out?.ret, -11);
  assert.equal(w.st.order(t), 9, 'still one order-9 folio');
  assert.equal(w.ctx.lastMigrate?.stats.nr_thp_split, 0);
});

test('FOLL_LONGTERM: -ENOMEM with nothing pinned when migration fails; `retries` bounds an isolation livelock with -EBUSY', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 1);
  const f = w.page(app, 0x10000, 0, { zone: Zone.MOVABLE });
  w.ctx.inject.alloc.push({ mode: 'always', arg: 0, line: 0, seen: 0 });
  const a = runSyscallOp(w.ctx, w.op('pin app buf longterm'));
  assert.equal(a?.ret, -12);
  assert.equal(w.st.pins(f), 0);
  w.ctx.inject.alloc.length = 0;
  w.ctx.inject.isolateFail.add(f);
  const b = runSyscallOp(w.ctx, w.op('pin app buf longterm retries 3'));
  assert.equal(b?.ret, -16);
  assert.deepEqual(b?.counts, { pinned: 0, passes: 3 });
  assert.equal(w.st.pins(f), 0);
});

test('on 6.3-rc1 a STRICT|MOVE walk stops at the PMD with an unisolatable folio; 6.1.y (Yang Shi\'s stable fix) and 6.12 walk on', () => {
  for (const [prof, movedLater] of [['6.3-rc1', false], ['6.1', true], ['6.12', true]] as const) {
    const w = world(prof);
    const app = w.proc('app');
    w.vma(app, 'buf', 0x200000, 1024);
    const a = w.page(app, 0x200000, 0);
    const b = w.page(app, 0x400000, 0); // the next PMD
    w.ctx.inject.isolateFail.add(a);
    const out = runSyscallOp(w.ctx, w.op('mbind app buf MPOL_BIND nodes 1 flags MPOL_MF_MOVE|MPOL_MF_STRICT'));
    assert.equal(out?.ret, -5, prof);
    assert.equal(w.st.has(b, F.FREED), movedLater, prof);
  }
});

test('a FOLL_LONGTERM pin migrates a folio out of a CMA pageblock before pinning it', () => {
  const w = world();
  const app = w.proc('app');
  w.vma(app, 'buf', 0x10000, 1);
  const f = w.page(app, 0x10000, 0);
  w.st.setFlag(f, F.CMA);
  const out = runSyscallOp(w.ctx, w.op('pin app buf longterm'));
  assert.equal(out?.ret, 1);
  assert.deepEqual(out?.counts, { pinned: 1, passes: 2 });
  const now = Math.floor(w.st.getPte(app.id, 0x10000 / PS) / 2 ** 30);
  assert.notEqual(now, f);
  assert.ok(!w.st.has(now, F.CMA));
  assert.equal(w.st.pins(now), 1);
  assert.equal(w.ctx.lastMigrate?.stats.nr_succeeded, 1);
});

test('migration entries met by the walk count one failure per PTE on 6.12 and none on 6.1', () => {
  for (const [prof, ret] of [['6.12', 2], ['6.1', 0]] as const) {
    const w = world(prof);
    const app = w.proc('app');
    w.vma(app, 'buf', 0x100000, 4);
    // a large folio another migration is moving: two of its PTEs are migration entries
    const f = w.st.newFolio({ kind: Kind.ANON, order: 2, node: 0, zone: Zone.NORMAL, flags: F.UPTODATE | F.LOCKED, refcount: 1, mapping: 1 });
    w.st.setPte(app.id, 0x100000 / PS, packPte(f, 0, Pte.MIGRATION_WRITE));
    w.st.setPte(app.id, 0x101000 / PS, packPte(f, 1, Pte.MIGRATION_WRITE));
    const out = runSyscallOp(w.ctx, w.op('migrate_pages app from 0 to 1'));
    assert.equal(out?.ret, ret, prof);
  }
});
