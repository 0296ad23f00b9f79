import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';
import { REALIZABLE } from './fixtures';

test('diagnostics are pushed after didOpen: a misspelt flag is an error on exactly its characters', async () => {
  const h = await startHarness();
  try {
    const text = REALIZABLE.replace('MPOL_MF_MOVE|MPOL_MF_STRICT', 'MPOL_MF_MOVE|MPOL_MF_STRCT');
    const uri = await h.open(text);
    const d = await h.diagnostics(uri, 1);
    const flag = d.diagnostics.find((x) => x.code === 'unknown-flag');
    assert.ok(flag, JSON.stringify(d.diagnostics));
    assert.equal(flag.severity, 1);
    assert.match(flag.message, /MPOL_MF_STRICT/);
    const line = text.split('\n')[flag.range.start.line];
    assert.equal(line.slice(flag.range.start.character, flag.range.end.character), 'MPOL_MF_STRCT');
    assert.equal(flag.source, 'migtrace');
  } finally {
    await h.close();
  }
});

test('diagnostics are pushed again after didChange, for the new version', async () => {
  const h = await startHarness();
  try {
    const uri = await h.open(REALIZABLE);
    const first = await h.diagnostics(uri, 1);
    assert.deepEqual(first.diagnostics, []);
    await h.change(uri, REALIZABLE.replace('touch heap write', 'touch hep write'));
    const second = await h.diagnostics(uri, 2);
    assert.equal(second.version, 2);
    const unknown = second.diagnostics.find((x) => x.code === 'unknown-name');
    assert.ok(unknown, JSON.stringify(second.diagnostics));
    assert.deepEqual(unknown.range, { start: { line: 10, character: 8 }, end: { line: 10, character: 11 } });
  } finally {
    await h.close();
  }
});

test('a burst of changes ends with a publication for the last version, and nothing after it', async () => {
  const h = await startHarness({ diagnosticsDelayMs: 50 });
  try {
    const uri = await h.open(REALIZABLE);
    for (let i = 0; i < 5; i++) await h.change(uri, REALIZABLE.replace('node 1 memory 1G', `node 1 memory ${i + 1}G`));
    const d = await h.diagnostics(uri, 6);
    assert.equal(d.version, 6);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(h.lastDiagnostics(uri)?.version, 6, 'no stale publication follows the latest one');
  } finally {
    await h.close();
  }
});

test('closing a document clears its diagnostics', async () => {
  const h = await startHarness();
  try {
    const uri = await h.open('scenario "x"\nkernel 6.12\nbogus line\n');
    const d = await h.diagnostics(uri, 1);
    assert.ok(d.diagnostics.length > 0);
    const cleared = new Promise<unknown[]>((resolve) => {
      h.client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
        if (p.uri === uri) resolve(p.diagnostics);
      });
    });
    await h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.deepEqual(await cleared, []);
  } finally {
    await h.close();
  }
});

test('a change to a quiet document is published without waiting for the burst delay', async () => {
  // A delay far longer than the test may take: only an immediate publication can arrive in time.
  const h = await startHarness({ diagnosticsDelayMs: 60_000 });
  try {
    const uri = await h.open(REALIZABLE);
    const first = await h.diagnostics(uri, 1, 20_000);
    assert.equal(first.version, 1);
    // Wait out nothing: the open was published, so the next change after it is still inside the
    // burst window and is debounced; a server that publishes immediately only when quiet must hold it.
    await h.change(uri, REALIZABLE.replace('touch heap write', 'touch hep write'));
    await assert.rejects(h.diagnostics(uri, 2, 300), 'a change right after another is debounced');
  } finally {
    await h.close();
  }
});
