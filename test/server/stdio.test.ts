// The bundled server as other editors run it: `node dist/server.js --stdio`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { CompletionList, InitializeResult } from 'vscode-languageserver-protocol';
import { REALIZABLE } from './fixtures';

const root = join(__dirname, '..', '..');

test('dist/server.js --stdio answers initialize and a completion', async () => {
  // The test command (scripts/test.mjs) builds before the tests run; build here only when run on its own.
  if (!existsSync(join(root, 'dist', 'server.js'))) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(build.status, 0, `build failed: ${build.stderr}`);
  }
  const child = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.listen();
  try {
    const init = await conn.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'migtrace-language-server');
    assert.ok(init.capabilities.completionProvider);
    await conn.sendNotification('initialized', {});
    const uri = 'file:///stdio/test.mig';
    const text = `${REALIZABLE}mbind `;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'migscenario', version: 1, text } });
    const lines = text.split('\n');
    const list = await conn.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: { line: lines.length - 1, character: lines[lines.length - 1].length },
    });
    assert.deepEqual(list.items.map((i) => i.label), ['app']);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr.join(''));
  } finally {
    conn.dispose();
    child.kill();
  }
});
