// The packaged extension in a real VS Code (code-server + Chromium): a .mig
// example opens in the contributed language, the TextMate grammar colours it,
// and the Outline shows the names the scenario declares (document symbols from
// the language server).
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXAMPLES, ROOT, Workbench, exampleFiles, packageVsix, poll } from './harness';

interface Manifest {
  contributes?: { languages?: { id: string; aliases?: string[]; extensions?: string[] }[] };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const migLanguage = manifest.contributes?.languages?.find((l) => l.extensions?.includes('.mig'));

/** The example with the most declared names: it gives the Outline the most to show. */
function pickExample(): { rel: string; names: string[] } {
  const files = exampleFiles();
  assert.ok(files.length > 0, 'examples/ holds no .mig file to open');
  let best = { rel: files[0], names: [] as string[] };
  for (const rel of files) {
    const names = declaredNames(readFileSync(join(EXAMPLES, rel), 'utf8'));
    if (names.length > best.names.length) best = { rel, names };
  }
  return best;
}

/** Names a scenario declares (`process app`, `mmap heap ...`, `folio A ...`), read off the text independently of our parser. */
function declaredNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*(?:process|mmap|folio)[ \t]+([A-Za-z_][A-Za-z0-9_]*)/gm)) names.add(m[1]);
  return [...names];
}

// Generous: on a fresh machine the first run also installs code-server (1-3 min).
describe('the packaged extension in code-server', { timeout: 480_000 }, () => {
  let wb: Workbench | undefined;
  let vsix = '';
  const example = pickExample();

  before(async () => {
    vsix = packageVsix();
    // Semantic highlighting off: the colours then come from the TextMate grammar alone.
    wb = await Workbench.launch({ name: 'extension', vsix, settings: { 'editor.semanticHighlighting.enabled': false, 'outline.collapseItems': 'alwaysExpand' } });
    await wb.openFile(example.rel);
    await wb.screenshot('opened');
  });

  after(async () => {
    if (wb) await wb.stop();
    if (vsix) rmSync(vsix, { force: true });
  });

  function workbench(): Workbench {
    if (!wb) throw new Error('the workbench did not start');
    return wb;
  }

  it('shows the contributed language name in the status bar for a .mig file', async () => {
    assert.ok(migLanguage, 'package.json contributes no language for .mig');
    const expected = migLanguage.aliases?.[0] ?? migLanguage.id;
    const mode = await poll('the language mode in the status bar', async () => {
      const m = await workbench().languageMode();
      return m === expected ? m : undefined;
    }, 20_000).catch(async (e: unknown) => {
      await workbench().screenshot('language-mode');
      throw new Error(`${String(e)}; the status bar shows ${JSON.stringify(await workbench().statusBarTexts())}`);
    });
    assert.equal(mode, expected);
  });

  it('colours keywords with the grammar: a keyword is not in the plain text colour', async () => {
    const w = workbench();
    const plain = await w.editorForeground();
    const tokens = await poll('coloured tokens in the editor', async () => {
      const t = await w.editorTokens();
      return t.some((s) => s.color !== plain) ? t : undefined;
    }, 20_000).catch(async (e: unknown) => {
      await w.screenshot('grammar');
      throw e;
    });
    // Header and declaration keywords every example starts with.
    const keyword = tokens.find((t) => ['kernel', 'process', 'scenario', 'node', 'folio'].includes(t.text.trim()));
    assert.ok(keyword, `no keyword token among ${JSON.stringify(tokens.slice(0, 20).map((t) => t.text))}`);
    assert.notEqual(keyword.color, plain, `the keyword "${keyword.text}" has the plain text colour ${plain}`);
    const colours = new Set(tokens.map((t) => t.color));
    assert.ok(colours.size >= 3, `only ${colours.size} colour(s) in ${example.rel}: ${[...colours].join(', ')}`);
  });

  it('activates on opening a .mig file and reports no uncaught error in Running Extensions', async () => {
    const w = workbench();
    const { ms, text } = await w.runningExtension('migtrace');
    await w.screenshot('running-extensions');
    assert.ok(ms >= 0, text);
    assert.doesNotMatch(text, /uncaught error|unresponsive/i, text);
    // Back to the scenario for the following checks.
    await w.openFile(example.rel);
  });

  it('lists the scenario\'s declared names in the Outline (document symbols from the language server)', async () => {
    const w = workbench();
    assert.ok(example.names.length > 0, `${example.rel} declares no process, mapping or folio`);
    const labels = await poll('the Outline to list ' + example.names.join(', '), async () => {
      const l = await w.outlineLabels();
      return example.names.every((n) => l.some((label) => label.includes(n))) ? l : undefined;
    }, 60_000, 1000).catch(async (e: unknown) => {
      await w.screenshot('outline');
      throw new Error(`${String(e)}; the Outline shows ${JSON.stringify(await w.outlineLabels().catch(() => []))}`);
    });
    await w.screenshot('outline');
    for (const n of example.names) assert.ok(labels.some((l) => l.includes(n)), `"${n}" is missing from the Outline`);
  });
});
