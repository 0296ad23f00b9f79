// Launch: what starts, and what ends cleanly with a message instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DATA, ROOT, startClient } from './helpers';

async function failedLaunch(args: Record<string, unknown>): Promise<{ message: string; output: string; terminated: boolean }> {
  const { dc, output } = await startClient();
  try {
    const terminated = dc.waitForEvent('terminated', 20000).then(
      () => true,
      () => false,
    );
    let message = '';
    await dc.launch(args).then(
      () => assert.fail('launch should have been refused'),
      (e: Error) => (message = e.message),
    );
    return { message, output: output.join(''), terminated: await terminated };
  } finally {
    await dc.stop();
  }
}

test('a scenario with errors does not start: the Debug Console lists each wrong line and the session ends', async () => {
  const program = path.join(DATA, 'errors.mig');
  const r = await failedLaunch({ program, stopOnEntry: true });
  assert.match(r.message, /errors\.mig has \d+ errors/);
  assert.match(r.output, new RegExp(`errors\\.mig:5:\\d+: error: .*flubber`));
  assert.match(r.output, new RegExp(`errors\\.mig:6:\\d+: error: .*Z`));
  assert.ok(r.terminated, 'a terminated event ends the session');
});

test('a missing file ends the session with a message naming it', async () => {
  const r = await failedLaunch({ program: path.join(ROOT, 'no', 'such.mig') });
  assert.match(r.message, /such\.mig does not exist/);
  assert.ok(r.terminated);
});

test('no program in the launch configuration says what to set', async () => {
  const r = await failedLaunch({});
  assert.match(r.message, /no 'program'/);
  assert.ok(r.terminated);
});

test('an unknown kernel profile names the known ones', async () => {
  const r = await failedLaunch({ program: path.join(ROOT, 'examples', '001-batch-sync-6.12.mig'), kernel: '9.9' });
  assert.match(r.message, /unknown kernel profile '9\.9' \(known: .*6\.12/);
  assert.ok(r.terminated);
});

test('the adapter announces every debugger feature the issue asks for', async () => {
  const { dc } = await startClient();
  try {
    const caps = (await dc.initializeRequest()).body as DebugProtocol.Capabilities;
    for (const c of [
      'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsFunctionBreakpoints',
      'supportsDataBreakpoints',
      'supportsExceptionFilterOptions',
      'supportsStepBack',
      'supportsRestartFrame',
      'supportsGotoTargetsRequest',
      'supportsEvaluateForHovers',
    ] as const)
      assert.equal(caps[c], true, c);
    const filters = (caps.exceptionBreakpointFilters ?? []).map((f) => f.filter);
    for (const f of ['MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS', 'EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'isolate_failed', 'split', 'retry_pass', 'tlb_flush', 'undo'])
      assert.ok(filters.includes(f), f);
    assert.ok(caps.exceptionBreakpointFilters!.every((f) => f.filter === 'run_stopped' || f.supportsCondition));
  } finally {
    await dc.stop();
  }
});
