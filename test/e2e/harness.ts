// End-to-end harness: the packaged extension in a real VS Code workbench.
//
// code-server (from the same .cache as `npm start`) serves VS Code 1.100 on a
// free loopback port with a throwaway user-data and extensions dir; the .vsix
// is installed with --install-extension exactly as a user would; Debian's
// Chromium, driven by playwright-core, loads the workbench on examples/.
// `stop()` always ends the server's whole process group and the browser, and a
// process 'exit' hook does the same if a test dies before calling it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = resolve(__dirname, '..', '..');
export const WORK = join(ROOT, 'test', 'e2e', '.work');
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');
export const EXAMPLES = join(ROOT, 'examples');
const CHROMIUM = process.env.MIGTRACE_CHROMIUM ?? '/usr/bin/chromium';
// The flags from ../shared/reference/code-server-recipe.md: no sandbox (root in
// a container), no GPU, and nothing that reaches the network on its own.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function runOrThrow(what: string, cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r.stdout;
}

/**
 * Production build + `vsce package` into test/e2e/.work/; returns the .vsix path.
 * The default name carries the process id: several test runs may share the tree.
 */
export function packageVsix(out = join(WORK, `migtrace-${process.pid}.vsix`)): string {
  runOrThrow('packaging (scripts/package.mjs)', process.execPath, [join(ROOT, 'scripts', 'package.mjs'), '--out', out]);
  return out;
}

/** Installs code-server into .cache/ when missing (idempotent); returns its executable. */
export function codeServerPath(): string {
  const out = runOrThrow('installing code-server (scripts/install-code-server.sh)', 'bash', [join(ROOT, 'scripts', 'install-code-server.sh')]);
  const lines = out.trim().split('\n');
  return lines[lines.length - 1];
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((res) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => {
      req.destroy();
      res(false);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value that is not undefined, or throws after `timeoutMs` naming `what`. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await sleep(everyMs);
  }
}

export interface WorkbenchOptions {
  /** Name used for the screenshot prefix and the work folder. */
  name: string;
  /** The .vsix to install; none installs no extension (for a baseline). */
  vsix?: string;
  /** Folder opened as the workspace; examples/ by default. */
  folder?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export interface TokenSpan {
  text: string;
  color: string;
  className: string;
}

export class Workbench {
  private stopped = false;

  private constructor(
    readonly page: Page,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
    readonly url: string,
    readonly dir: string,
    readonly name: string,
  ) {}

  static async launch(opts: WorkbenchOptions): Promise<Workbench> {
    const codeServer = codeServerPath();
    mkdirSync(WORK, { recursive: true });
    const dir = mkdtempSync(join(WORK, `${opts.name}-`));
    const userData = join(dir, 'user-data');
    const extensions = join(dir, 'extensions');
    mkdirSync(join(userData, 'User'), { recursive: true });
    mkdirSync(extensions, { recursive: true });
    // Fixed theme and no welcome page, so colours and layout do not depend on
    // the browser's colour scheme or on what the last run left open.
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.colorTheme': 'Default Light Modern',
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'workbench.tips.enabled': false,
          // examples/ sits inside the project's repository; the prompt covers the editor.
          'git.openRepositoryInParentFolders': 'never',
          ...opts.settings,
        },
        null,
        2,
      ),
    );
    const common = ['--config', join(dir, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
    if (opts.vsix) {
      if (!existsSync(opts.vsix)) throw new Error(`no .vsix at ${opts.vsix}`);
      runOrThrow('code-server --install-extension', codeServer, [...common, '--install-extension', opts.vsix, '--force']);
    }

    const port = await freePort();
    const folder = opts.folder ?? EXAMPLES;
    const log = openSync(join(dir, 'code-server.log'), 'a');
    // detached: its own process group, so stop() ends code-server together with
    // the file watcher and extension host it forks.
    const server = spawn(
      codeServer,
      [
        ...common,
        '--auth', 'none',
        '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        folder,
      ],
      { cwd: ROOT, detached: true, stdio: ['ignore', log, log] },
    );
    live.add(server);
    closeSync(log);
    let browser: Browser | undefined;
    try {
      await poll(`code-server on 127.0.0.1:${port} (log: ${join(dir, 'code-server.log')})`, async () => {
        if (server.exitCode !== null) throw new Error(`code-server exited with ${server.exitCode}: ${tail(join(dir, 'code-server.log'))}`);
        return (await healthy(port)) ? true : undefined;
      }, 60_000);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      // The explorer shows the folder once the remote file system answers.
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
      return new Workbench(page, browser, server, url, dir, opts.name);
    } catch (e) {
      await browser?.close().catch(() => undefined);
      killGroup(server, 'SIGKILL');
      live.delete(server);
      throw e;
    }
  }

  /** Saves test/e2e/screenshots/<name>-<label>.png and returns the path. */
  async screenshot(label: string): Promise<string> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = join(SCREENSHOTS, `${this.name}-${label}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** Opens a workspace file with Quick Open (Ctrl+P), as a user would (or selects its tab if open), and waits for its editor. */
  async openFile(relPath: string): Promise<void> {
    const base = relPath.split('/').pop() ?? relPath;
    const tab = this.page.locator('.tabs-container .tab', { hasText: base });
    if ((await tab.count()) > 0) {
      // Already open: bring its tab to the front.
      await tab.first().click();
      await this.page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout: 20_000 });
      return;
    }
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relPath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 20_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: base }).waitFor({ timeout: 20_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines .view-line').first().waitFor({ timeout: 20_000 });
  }

  /** Runs a command from the Command Palette by its title. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20_000 });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** Text of a status bar entry by its id (e.g. `status.editor.mode`), or undefined when absent. */
  async statusBarText(id: string): Promise<string | undefined> {
    const item = this.page.locator(`.statusbar [id="${id}"]`);
    if ((await item.count()) === 0) return undefined;
    return (await item.first().innerText()).trim();
  }

  /** Every status bar entry's text, left to right. */
  async statusBarTexts(): Promise<string[]> {
    return (await this.page.locator('.statusbar .statusbar-item').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /** The language mode shown in the status bar for the active editor. */
  async languageMode(): Promise<string | undefined> {
    return this.statusBarText('status.editor.mode');
  }

  /** The rendered tokens of the visible editor lines, with their computed colours. */
  async editorTokens(): Promise<TokenSpan[]> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line span span')).map((s) => ({
        text: s.textContent ?? '',
        color: getComputedStyle(s).color,
        className: s.className,
      })),
    );
  }

  /** The editor's default foreground: the colour of text no grammar rule touches. */
  async editorForeground(): Promise<string> {
    return this.page.evaluate(() => {
      const lines = document.querySelector('.editor-instance .monaco-editor .view-lines');
      if (!lines) throw new Error('no editor is open');
      return getComputedStyle(lines).color;
    });
  }

  /**
   * Labels of every row of the Outline view. The view is focused first and the
   * folder section above it collapsed so it has room; the tree only renders the
   * rows in sight, so it is scrolled through and the labels gathered on the way.
   */
  async outlineLabels(): Promise<string[]> {
    const pane = this.page.locator('.outline-pane');
    if ((await pane.count()) === 0 || !(await pane.isVisible())) await this.runCommand('Explorer: Focus on Outline View');
    const folders = this.page.locator('.pane-header[aria-label^="Explorer Section"][aria-expanded="true"]');
    if ((await folders.count()) > 0) await folders.first().click();
    const rows = this.page.locator('.outline-pane .monaco-list-row .label-name');
    const seen: string[] = [];
    const gather = async () => {
      let added = 0;
      for (const l of await rows.allInnerTexts()) {
        if (!seen.includes(l)) {
          seen.push(l);
          added++;
        }
      }
      return added;
    };
    await gather();
    const list = this.page.locator('.outline-pane .monaco-list');
    if ((await list.count()) > 0 && (await rows.count()) > 0) {
      await list.first().hover();
      for (let still = 0, i = 0; still < 2 && i < 100; i++) {
        await this.page.mouse.wheel(0, 300);
        await this.page.waitForTimeout(50);
        still = (await gather()) === 0 ? still + 1 : 0;
      }
      await this.page.mouse.wheel(0, -100_000);
    }
    return seen;
  }

  /**
   * The row of "Developer: Show Running Extensions" for the extension whose
   * name contains `name`, once VS Code has recorded its activation time:
   * `ms` = code loading + the activate() call, as VS Code measures it in the
   * extension host; `text` is the whole row (errors show there too).
   */
  async runningExtension(name: string, timeoutMs = 30_000): Promise<{ ms: number; text: string }> {
    if ((await this.page.locator('.runtime-extensions-editor').count()) === 0) await this.runCommand('Developer: Show Running Extensions');
    return poll(`the activation time of ${name} in Running Extensions`, async () => {
      const rows = await this.page.locator('.runtime-extensions-editor .monaco-list-row').allInnerTexts();
      const row = rows.find((r) => r.toLowerCase().includes(name.toLowerCase()));
      const m = row && /Activation:\s*(\d+)\s*ms/.exec(row);
      return m && row ? { ms: Number(m[1]), text: row } : undefined;
    }, timeoutMs);
  }

  /** Logs of this workbench's VS Code server (extension host, server log...), for benchmarks. */
  logFiles(): string[] {
    const logs = join(this.dir, 'user-data', 'logs');
    const out: string[] = [];
    const walk = (d: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else out.push(join(d, e.name));
      }
    };
    walk(logs);
    return out.sort();
  }

  /** Closes the browser and ends code-server's process group; safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.browser.close().catch(() => undefined);
    this.killServerGroup('SIGTERM');
    await waitExit(this.server, 5000);
    // Whatever of the group is left (the file watcher outlives its parent).
    this.killServerGroup('SIGKILL');
    live.delete(this.server);
    if (!process.env.MIGTRACE_E2E_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }

  private killServerGroup(signal: NodeJS.Signals): void {
    killGroup(this.server, signal);
  }
}

// Servers started and not yet stopped. Their process groups are detached, so
// they would outlive this process: end them if it exits or is interrupted
// (Ctrl-C, or the test runner giving up) before stop() ran.
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((c) => killGroup(c, 'SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    live.forEach((c) => killGroup(c, 'SIGKILL'));
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((res) => {
    const t = setTimeout(() => res(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      res(true);
    });
  });
}

function tail(path: string, lines = 20): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Launches a workbench, runs `fn`, and always stops it; a failure leaves a screenshot behind. */
export async function withWorkbench<T>(opts: WorkbenchOptions, fn: (wb: Workbench) => Promise<T>): Promise<T> {
  const wb = await Workbench.launch(opts);
  try {
    return await fn(wb);
  } catch (e) {
    await wb.screenshot('failure').catch(() => undefined);
    throw e;
  } finally {
    await wb.stop();
  }
}

/** The .mig files under examples/, relative to it, sorted. */
export function exampleFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else if (e.name.endsWith('.mig')) out.push(r);
    }
  };
  walk(EXAMPLES, '');
  return out.sort();
}
