// User-level gestures on the workbench for the end-to-end journey: go to a
// line, read a rendered line (with its inlay hints), hover a token, click the
// gutter, read the debug views. Selectors are VS Code 1.100's DOM.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { poll, type Workbench } from './harness';

export const EDITOR = '.editor-instance .monaco-editor';

/** Ctrl+G to a 1-based line, as a user would. */
export async function gotoLine(page: Page, line: number): Promise<void> {
  await page.locator(`${EDITOR} .view-lines`).first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The rendered view line holding `text` (inlay hints are part of its text content; Monaco renders spaces as no-break spaces). */
export function viewLine(page: Page, text: string): Locator {
  const pattern = new RegExp(text.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  return page.locator(`${EDITOR} .view-lines .view-line`, { hasText: pattern }).first();
}

/** The text of a view line with no-break spaces as spaces. */
export async function lineText(page: Page, text: string): Promise<string> {
  return poll(`the line "${text}"`, () =>
    page.evaluate(([sel, want]) => {
      for (const l of Array.from(document.querySelectorAll(sel))) {
        const t = (l.textContent ?? '').replace(/\u00a0/g, ' ');
        if (t.includes(want)) return t;
      }
      return undefined;
    }, [`${EDITOR} .view-lines .view-line`, text] as const),
  10_000);
}

/** Collapses a pane of the side bar (Watch, Breakpoints...) by its header, to give the others room. */
export async function collapsePane(page: Page, title: RegExp): Promise<void> {
  const h = page.locator('.pane-header[aria-expanded="true"]', { hasText: title }).first();
  if ((await h.count()) > 0) await h.click();
}

/** The Variables row whose name is exactly `name` (a scope or a variable). */
function variableRow(page: Page, name: string): Locator {
  return page.locator('.debug-variables .monaco-list-row').filter({ has: page.locator('.monaco-tl-contents', { hasText: new RegExp(`^\\s*${name}\\b`) }) }).first();
}

/**
 * Collapses the Variables row `name` once it is there. VS Code fills the view in after the stop and expands the first
 * scope itself, possibly after a first click: so wait for the row and look again until it stays collapsed.
 */
export async function collapseVariable(page: Page, name: string): Promise<void> {
  const row = variableRow(page, name);
  await row.waitFor({ timeout: 20_000 });
  let collapsedSeen = 0;
  await poll(`the Variables row ${name} to collapse`, async () => {
    const state = await row.getAttribute('aria-expanded', { timeout: 2_000 }).catch(() => undefined);
    if (state === 'true') {
      collapsedSeen = 0;
      await row.click({ timeout: 2_000 }).catch(() => undefined);
      return undefined;
    }
    return state === 'false' && ++collapsedSeen >= 3 ? true : undefined;
  }, 30_000);
}

/** Clicks the glyph margin (the gutter) beside the view line holding `text`. */
export async function clickGutter(page: Page, text: string): Promise<void> {
  const line = await viewLine(page, text).boundingBox();
  const glyph = await page.locator(`${EDITOR} .glyph-margin`).first().boundingBox();
  if (!line || !glyph) throw new Error(`no line "${text}" or no glyph margin on screen`);
  await page.mouse.click(glyph.x + glyph.width / 2, line.y + line.height / 2);
}

/** Text of the visible hover widget, once it has more than `minChars` characters. */
export async function hoverText(page: Page, minChars = 20): Promise<string> {
  return poll('the hover widget', async () => {
    const h = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    if (!(await h.isVisible())) return undefined;
    const t = await h.innerText();
    return t.length > minChars ? t : undefined;
  }, 10_000);
}

/** Labels of the suggest widget's rows. */
export async function suggestions(page: Page): Promise<string[]> {
  return poll('the suggest widget', async () => {
    const rows = page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    const n = await rows.count();
    if (n === 0) return undefined;
    return (await rows.allInnerTexts()).map((t) => t.split('\n')[0].trim());
  }, 20_000);
}

/**
 * Why the debugger is paused, as the Call Stack shows it: with one thread VS Code puts the
 * stop's description (e.g. "EAGAIN on folio B in pass 0", "Paused on entry: ...") in the
 * view's header, else "Paused on ..." on the thread's row. '' when not paused or not shown.
 */
export async function pausedState(page: Page): Promise<string> {
  const header = page.locator('.pane-header', { hasText: /call stack/i }).first();
  const badge = (await header.innerText().catch(() => '')).replace(/^\s*call stack\s*/i, '').trim();
  if (badge) return badge.replace(/\s+/g, ' ');
  for (const r of await page.locator('.debug-call-stack .monaco-list-row').allInnerTexts().catch(() => [] as string[])) {
    const m = /paused on [^\n]*/i.exec(r);
    if (m) return m[0].trim();
  }
  return '';
}

/** Waits until the pause description matches `reason` (and differs from `previous` when given). */
export async function waitPaused(page: Page, reason: RegExp, timeoutMs = 30_000, previous?: string): Promise<string> {
  return poll(`the debugger to pause matching ${reason}`, async () => {
    const s = await pausedState(page);
    return reason.test(s) && s !== previous ? s : undefined;
  }, timeoutMs).catch(async (e: unknown) => {
    throw new Error(`${String(e)}; the Call Stack says "${await pausedState(page)}"`);
  });
}

/** Rows of the Variables view (name and value text). */
export async function variableRows(page: Page): Promise<string[]> {
  return (await page.locator('.debug-variables .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/**
 * Expands the Variables row `name`. The pane is short and its list is virtual: a row below an expanded scope may not
 * be rendered at all, so while it is missing the other expanded scopes are collapsed and the tree scrolled to its top.
 * The tree also re-renders rows while a stop is filled in, so a click may land on a detached row: click again (the
 * locator finds the new row) until it is open.
 */
export async function expandVariable(page: Page, name: string): Promise<void> {
  const row = variableRow(page, name);
  await poll(`the Variables row ${name} to expand`, async () => {
    if (!(await row.isVisible().catch(() => false))) {
      const open = page.locator('.debug-variables .monaco-list-row[aria-level="1"][aria-expanded="true"]');
      for (let i = (await open.count().catch(() => 0)) - 1; i >= 0; i--) await open.nth(i).click({ timeout: 2_000 }).catch(() => undefined);
      const list = page.locator('.debug-variables .monaco-list').first();
      if (await list.isVisible().catch(() => false)) {
        await list.hover({ timeout: 2_000 }).catch(() => undefined);
        await page.mouse.wheel(0, -2_000);
      }
      return undefined;
    }
    const state = await row.getAttribute('aria-expanded', { timeout: 2_000 }).catch(() => undefined);
    if (state === 'true') return true;
    if (state === 'false') await row.click({ timeout: 2_000 }).catch(() => undefined);
    return undefined;
  }, 45_000);
}

/** The trace timeline webview's document (webviews sit two frames deep). */
export function timelineFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Runs one step of a journey; a failure leaves test/e2e/screenshots/<name>-<label>-failure.png behind. */
export async function step(wb: Workbench, label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    await wb.screenshot(`${label}-failure`).catch(() => undefined);
    throw e;
  }
}
