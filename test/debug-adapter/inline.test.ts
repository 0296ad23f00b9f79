// The session as VS Code runs it inline (DebugAdapterInlineImplementation): messages
// in through handleMessage, out through onDidSendMessage, no stdio, no process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MigtraceSession, loadScenario } from '../../debug-adapter';
import { DATA } from './helpers';

test('inline: initialize, launch, configurationDone, stop on entry, stack, disconnect — all through handleMessage', async () => {
  const session = new MigtraceSession(loadScenario);
  const sent: DebugProtocol.ProtocolMessage[] = [];
  const waiters: { match: (m: DebugProtocol.ProtocolMessage) => boolean; resolve: (m: DebugProtocol.ProtocolMessage) => void }[] = [];
  session.onDidSendMessage((m) => {
    const msg = m as DebugProtocol.ProtocolMessage;
    sent.push(msg);
    for (const w of waiters.splice(0)) if (w.match(msg)) w.resolve(msg);
      else waiters.push(w);
  });
  const wait = (match: (m: DebugProtocol.ProtocolMessage) => boolean): Promise<DebugProtocol.ProtocolMessage> => {
    const found = sent.find(match);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  let seq = 1;
  const request = (command: string, args?: unknown): Promise<DebugProtocol.Response> => {
    const s = seq++;
    session.handleMessage({ seq: s, type: 'request', command, arguments: args } as DebugProtocol.Request);
    return wait((m) => m.type === 'response' && (m as DebugProtocol.Response).request_seq === s) as Promise<DebugProtocol.Response>;
  };
  const isEvent = (name: string) => (m: DebugProtocol.ProtocolMessage): boolean => m.type === 'event' && (m as DebugProtocol.Event).event === name;

  assert.ok((await request('initialize', { adapterID: 'migtrace', linesStartAt1: true, columnsStartAt1: true })).success);
  const launched = request('launch', { program: path.join(DATA, 'contended.mig'), stopOnEntry: true });
  await wait(isEvent('initialized'));
  await request('configurationDone');
  const lr = await launched;
  assert.ok(lr.success, JSON.stringify(lr) + JSON.stringify(sent.filter((m) => m.type === 'event').map((m) => (m as DebugProtocol.Event).body)));
  const stopped = (await wait(isEvent('stopped'))) as DebugProtocol.StoppedEvent;
  assert.equal(stopped.body.reason, 'entry');
  const st = (await request('stackTrace', { threadId: 1 })) as DebugProtocol.StackTraceResponse;
  assert.equal(st.body.stackFrames[0].name, 'migrate_pages');
  assert.equal(st.body.stackFrames[0].line, 15);
  assert.ok((await request('disconnect', {})).success);
  session.dispose();
});
