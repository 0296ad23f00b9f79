// `npm run package` produces a .vsix that holds every file package.json names
// and nothing a user does not need (no sources, maps, tests or node_modules).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT, WORK, packageVsix } from './harness';
import { inVsix, readZip, referencedPaths, unexpectedEntries } from './vsix';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;

describe('the path checks themselves', () => {
  it('find grammar, snippet, configuration, icon, walkthrough and debugger paths in a manifest', () => {
    const paths = referencedPaths({
      main: './dist/client.js',
      contributes: {
        languages: [{ id: 'x', configuration: './language-configuration.json', icon: { light: './media/l.svg', dark: './media/d.svg' } }],
        grammars: [{ path: './syntaxes/x.tmLanguage.json' }],
        snippets: [{ path: './snippets/x.json' }],
        debuggers: [
          {
            program: './dist/debug-adapter.js',
            initialConfigurations: [{ program: '${file}' }],
            configurationSnippets: [{ body: { program: '^"\\${file}"' } }],
          },
        ],
        commands: [{ command: 'a', icon: '$(debug)' }],
        walkthroughs: [{ steps: [{ media: { image: 'media/step.png', altText: 'a step' } }, { media: { markdown: 'media/step.md' } }] }],
        configuration: { properties: { p: { default: 'not/a/file' } } },
      },
    });
    assert.deepEqual(paths, [
      'dist/client.js',
      'dist/debug-adapter.js',
      'language-configuration.json',
      'media/d.svg',
      'media/l.svg',
      'media/step.md',
      'media/step.png',
      'snippets/x.json',
      'syntaxes/x.tmLanguage.json',
    ]);
  });

  it('flag sources, source maps and node_modules as unexpected', () => {
    const bad = ['extension/client/extension.ts', 'extension/dist/client.js.map', 'extension/node_modules/x/index.js', 'extension/test/a.test.ts'];
    assert.deepEqual(unexpectedEntries(['extension/dist/client.js', 'extension/package.json', ...bad]), bad);
  });
});

describe('npm run package', { timeout: 120_000 }, () => {
  let vsix = '';
  let entries: string[] = [];
  let files = new Map<string, Buffer>();

  before(async () => {
    vsix = packageVsix(join(WORK, `package-test-${process.pid}.vsix`));
    files = await readZip(vsix);
    entries = [...files.keys()];
  });

  after(() => rmSync(vsix, { force: true }));

  it('packs every file that package.json names', () => {
    const referenced = referencedPaths(manifest);
    assert.ok(referenced.includes('dist/client.js'), 'package.json main should be ./dist/client.js');
    const missing = referenced.filter((p) => !inVsix(entries, p));
    assert.deepEqual(missing, [], `named in package.json but not in the .vsix:\n${entries.join('\n')}`);
  });

  it('packs the bundled entry points that exist in the sources', () => {
    // client is the manifest's main; the others are shipped when their sources exist.
    const entryPoints: [string, string][] = [['client/extension.ts', 'client'], ['server/main.ts', 'server'], ['server/engine-worker.ts', 'engine-worker'], ['debug-adapter/main.ts', 'debug-adapter'], ['cli/main.ts', 'cli']];
    for (const [source, out] of entryPoints) {
      if (existsSync(join(ROOT, source))) assert.ok(entries.includes(`extension/dist/${out}.js`), `dist/${out}.js (from ${source}) is not in the .vsix`);
    }
  });

  it('packs nothing a user does not need (no .ts, .map, node_modules, tests or scripts)', () => {
    assert.deepEqual(unexpectedEntries(entries), []);
    assert.ok(!entries.some((e) => e.endsWith('.ts') || e.endsWith('.map') || e.includes('node_modules/')));
    for (const must of ['extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/changelog.md']) {
      assert.ok(entries.includes(must), `${must} is missing`);
    }
  });

  it('ships bundled JavaScript without source maps or a sourceMappingURL', () => {
    for (const e of entries.filter((x) => x.startsWith('extension/dist/'))) {
      const text = files.get(e)?.toString('utf8') ?? '';
      assert.ok(!/^\/\/# sourceMappingURL=/m.test(text), `${e} points at a source map`);
    }
  });

  it('ships the client as a small entry that requires its chunks, so activation loads neither the engine nor the language client', () => {
    const client = files.get('extension/dist/client.js')?.toString('utf8') ?? '';
    for (const chunk of ['client-lsp', 'client-heavy']) {
      assert.ok(entries.includes(`extension/dist/${chunk}.js`), `dist/${chunk}.js is not in the .vsix`);
      assert.ok(client.includes(`require("./${chunk}.js")`), `dist/client.js does not require ./${chunk}.js`);
    }
    assert.ok(client.length < 64 * 1024, `dist/client.js is ${client.length} bytes: something pulled a chunk back into it`);
    // strings that only the engine, the debug adapter and vscode-languageclient hold
    for (const word of ['migrate_pages_batch', 'setExceptionBreakpoints', 'textDocument/publishDiagnostics']) assert.ok(!client.includes(word), `dist/client.js contains ${word}`);
  });

  it('stays small: under 5 MiB', (t) => {
    const bytes = statSync(vsix).size;
    t.diagnostic(`.vsix size: ${(bytes / 1024).toFixed(1)} KiB, ${entries.length} entries`);
    assert.ok(bytes < 5 * 1024 * 1024, `${bytes} bytes`);
  });
});
