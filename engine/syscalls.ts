// The seam between the operation dispatcher (run.ts) and the syscall layer: one
// call per scenario operation that is a syscall, a pin, a migrate_vma or a NUMA
// fault. The internal `migrate_pages [A, B]` operation is not handled here.
//
//   const out = runSyscallOp(ctx, op);   // undefined: not a syscall-layer operation
//   out.ret      → `expect return`
//   out.status   → `expect status` (null = unwritten)
//   out.counts   → `expect cpages|npages|pinned|passes|nr_failed`
// Bad input (unknown process, unresolvable address) throws RunStop naming the line.

import type { Operation } from '../scenario/ast';
import type { Context } from './context';
import type { SyscallOutcome } from './syscall_common';
import { kernel_mbind, kernel_migrate_pages } from './mempolicy';
import { kernel_move_pages } from './migrate_syscalls';
import { pin_user_pages } from './gup';
import { migrate_vma } from './migrate_device';
import { do_numa_page } from './numa';

export type { SyscallOutcome } from './syscall_common';

export function runSyscallOp(ctx: Context, op: Operation): SyscallOutcome | undefined {
  switch (op.kind) {
    case 'mbind':
      return kernel_mbind(ctx, op);
    case 'migrate_pages_syscall':
      return kernel_migrate_pages(ctx, op);
    case 'move_pages':
      return kernel_move_pages(ctx, op);
    case 'pin':
      return pin_user_pages(ctx, op);
    case 'migrate_vma':
      return migrate_vma(ctx, op);
    case 'numa_fault':
      return do_numa_page(ctx, op);
    default:
      return undefined;
  }
}
