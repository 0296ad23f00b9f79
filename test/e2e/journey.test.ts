// A user's journey through the packaged extension in a real VS Code
// (code-server + Chromium), issue 6 steps 2–5: completion and hover while
// typing, the engine's inlay hints and a broken expect's diagnostic, a gutter
// breakpoint plus the EAGAIN event breakpoint under F5 with the Lists scope and
// stepping both ways, then the trace timeline of the run, clicked to jump the
// debugger. The workspace is a throwaway copy of examples/, so edits never
// touch the repository. A screenshot is saved at every step.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXAMPLES, WORK, Workbench, packageVsix, poll } from './harness';
import { EDITOR, clickGutter, collapsePane, collapseVariable, expandVariable, hoverText, lineText, pausedState, step, suggestions, timelineFrame, variableRows, viewLine, waitPaused } from './ui';

const SYNC = '001-batch-sync-6.12.mig'; // B's lock held for passes 0..3: EAGAIN in the async passes, migrated in the sync one
const MBIND = 'mbind-strict-eio.mig';

describe('a user journey in code-server: edit, read results, debug, timeline', { timeout: 540_000 }, () => {
  let wb: Workbench | undefined;
  let vsix = '';
  let folder = '';

  before(async () => {
    vsix = packageVsix();
    mkdirSync(WORK, { recursive: true });
    folder = mkdtempSync(join(WORK, 'journey-examples-'));
    cpSync(EXAMPLES, folder, { recursive: true });
    wb = await Workbench.launch({ name: 'journey', vsix, folder, settings: { 'editor.inlayHints.enabled': 'on', 'debug.toolBarLocation': 'docked', 'editor.hover.delay': 200 } });
  });

  after(async () => {
    if (wb) await wb.stop();
    if (vsix) rmSync(vsix, { force: true });
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  function w(): Workbench {
    if (!wb) throw new Error('the workbench did not start');
    return wb;
  }

  it('step 2: completion offers the MPOL_MF_ flags after `flags`, and hovering a flag shows its doc', async () => {
    await step(w(), '2', async () => {
      const { page } = w();
      await w().openFile(MBIND);
      // hover first, on the untouched file
      const token = page.locator(`${EDITOR} .view-lines .view-line span span`, { hasText: /^MPOL_MF_STRICT$/ }).first();
      await token.waitFor({ timeout: 20_000 });
      // the mouse rests on the flag; under load the hover may not come, so the keyboard's Show Hover (Ctrl+K Ctrl+I) on it is the fallback
      await poll('the language server to answer hovers', async () => {
        await page.mouse.move(0, 0);
        await token.hover();
        let t = await hoverText(page).catch(() => '');
        if (!/every page in the range follows the policy/.test(t)) {
          await token.click();
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          t = await hoverText(page).catch(() => '');
        }
        return /every page in the range follows the policy/.test(t) ? t : undefined;
      }, 90_000, 500);
      await w().screenshot('2-hover-flag');
      await page.keyboard.press('Escape');

      await viewLine(page, 'expect page app heap[0] on node 1').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('mbind app heap MPOL_BIND nodes 1 flags MPOL_MF_');
      await page.keyboard.press('Control+Space');
      const items = await poll('the flag completions', async () => {
        const s = await suggestions(page);
        return s.some((l) => l.startsWith('MPOL_MF_MOVE')) ? s : undefined;
      }, 30_000);
      await w().screenshot('2-completion-flags');
      for (const f of ['MPOL_MF_STRICT', 'MPOL_MF_MOVE', 'MPOL_MF_MOVE_ALL']) assert.ok(items.some((l) => l.startsWith(f)), `no ${f} among ${items.join(', ')}`);
      assert.ok(!items.some((l) => /^MIGRATE_|^MR_/.test(l)), `completion after flags offers non-flags: ${items.join(', ')}`);
      await page.keyboard.press('Escape');
      // put the file back as it was (the typed line was the empty last line), so the Problems view sees the example
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
      await poll('the typed line to go', async () => ((await page.locator(`${EDITOR} .view-lines .view-line`, { hasText: /flags\s+MPOL_MF_\s*$/ }).count()) === 0 ? true : undefined), 10_000);
    });
  });

  it('step 3: inlay hints show the failure counts, and a broken expect is an error diagnostic saying expected vs actual', async () => {
    await step(w(), '3', async () => {
      const { page } = w();
      await w().openFile(SYNC);
      const hinted = await poll('the inlay hint on folio B', async () => {
        const t = await lineText(page, 'folio B order 0');
        return /EAGAIN ×\d/.test(t) ? t : undefined;
      }, 90_000, 500);
      assert.match(hinted, /EAGAIN ×3/);
      const opLine = await lineText(page, 'migrate_pages [A, B]');
      assert.match(opLine, /→ 0\b/, `no result hint on the operation line: ${opLine}`);
      await w().screenshot('3-inlay-hints');

      // break `expect return 0` (line 18): the run returns 0, the expect now says 1
      await viewLine(page, 'expect return 0').click();
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+ArrowLeft');
      await page.keyboard.type('1');
      await poll('an error squiggle', async () => ((await page.locator(`${EDITOR} .squiggly-error`).count()) > 0 ? true : undefined), 60_000, 500);
      await page.keyboard.press('Control+Shift+M');
      const problem = await poll('the failed expect in the Problems view', async () => {
        const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
        return rows.find((r) => /expected return 1, actual return 0/.test(r));
      }, 30_000, 500);
      await w().screenshot('3-broken-expect');
      assert.match(problem, /expected return 1, actual return 0 \(kernel 6\.12\)/);
      // undo the break; the debugger reads the file on disk, which never changed
      await viewLine(page, 'expect return 1').click();
      await page.keyboard.press('Control+Z');
      await poll('the squiggle to go', async () => ((await page.locator(`${EDITOR} .squiggly-error`).count()) === 0 ? true : undefined), 60_000, 500);
      await page.keyboard.press('Control+Shift+M'); // hide the panel again
    });
  });

  it('step 4: a gutter breakpoint and the EAGAIN event breakpoint under F5; the Lists scope shows B on the batch list (the from of migrate_pages_batch); step back and forward', async () => {
    await step(w(), '4', async () => {
      const { page } = w();
      await w().openFile(SYNC);
      await clickGutter(page, 'migrate_pages [A, B]');
      await page.locator(`${EDITOR} .glyph-margin-widgets .codicon-debug-breakpoint, ${EDITOR} .margin-view-overlays .codicon-debug-breakpoint`).first().waitFor({ timeout: 10_000 });
      await viewLine(page, 'migrate_pages [A, B]').click();
      await page.keyboard.press('Control+Shift+D'); // Run and Debug: the call stack and the toolbar (docked) are there
      await page.locator('.debug-call-stack').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
      await viewLine(page, 'migrate_pages [A, B]').click();
      await page.keyboard.press('F5');
      // stopOnEntry: the first stop, then the event filters are in the Breakpoints view
      await waitPaused(page, /entry/i, 60_000);
      const eagain = page.locator('.debug-breakpoints .monaco-list-row', { hasText: /^\s*EAGAIN\s*$/ }).first();
      await eagain.waitFor({ timeout: 20_000 });
      const box = eagain.locator('input[type=checkbox]');
      if (!(await box.isChecked())) await box.click();
      assert.equal(await box.isChecked(), true);
      await w().screenshot('4-breakpoints');

      // Continue: the gutter breakpoint (unless the entry stop already sat on its line), then the first EAGAIN
      await page.keyboard.press('F5');
      let state = await waitPaused(page, /.+/, 30_000, await pausedState(page));
      if (!/EAGAIN/.test(state)) {
        await w().screenshot('4-gutter-breakpoint');
        await page.keyboard.press('F5');
        state = await waitPaused(page, /EAGAIN/);
      }
      // the adapter's stop description: the event, the folio and the pass
      assert.equal(state, 'EAGAIN on folio B in pass 0');
      const widget = await poll('the exception widget naming EAGAIN', async () => {
        const t = await page.locator('.exception-widget').first().innerText().catch(() => '');
        return /EAGAIN/.test(t) ? t : undefined;
      }, 20_000);
      assert.match(widget, /EAGAIN/);

      // room for the scopes: fold the Watch and Breakpoints panes and the Event scope
      await collapsePane(page, /^\s*watch/i);
      await collapsePane(page, /^\s*breakpoints/i);
      await collapseVariable(page, 'Event');
      await expandVariable(page, 'Lists');
      // At this EAGAIN B waits on the batch: the list migrate_pages_batch() got as its `from`
      // argument, which is migrate_pages_sync()'s `folios` list (lists are named by their owner).
      const rows = await poll('the Lists scope', async () => {
        const r = await variableRows(page);
        return r.some((x) => /^from = /.test(x)) ? r : undefined;
      }, 20_000);
      assert.ok(rows.some((r) => /^from = from \[\] \(0\)$/.test(r)), `the caller's from list is not empty: ${rows.join(' | ')}`);
      assert.ok(rows.some((r) => /^folios#\d+ = folios#\d+ \[B\] \(1\)$/.test(r)), `B is not alone on the batch list: ${rows.join(' | ')}`);
      await w().screenshot('4-stopped-eagain-lists');
      await collapseVariable(page, 'Lists');
      await expandVariable(page, 'Event');

      // Stepping moves the Event scope's index (the header keeps the last description VS Code was given)
      const index = async () => (await variableRows(page)).find((r) => /^index = /.test(r)) ?? '';
      const eagainIndex = await index();
      assert.match(eagainIndex, /^index = \d+$/);
      await page.locator('a[aria-label^="Step Back"]').first().click();
      const back = await poll('step back to move the Event index', async () => {
        const i = await index();
        return i && i !== eagainIndex ? i : undefined;
      }, 30_000);
      await w().screenshot('4-step-back');
      assert.ok(Number(back.slice(8)) < Number(eagainIndex.slice(8)), `step back went from ${eagainIndex} to ${back}`);
      await page.keyboard.press('F10');
      await poll('step forward to move the Event index on', async () => {
        const i = await index();
        return i && Number(i.slice(8)) > Number(back.slice(8)) ? i : undefined;
      }, 30_000);
      await w().screenshot('4-step-forward');
    });
  });

  it('step 5: the trace timeline shows the run; clicking a cell jumps the debugger to that event', async () => {
    await step(w(), '5', async () => {
      const { page } = w();
      await w().openFile(SYNC);
      await page.locator('.editor-actions a[aria-label="Show Trace Timeline"], .editor-actions .codicon-graph').first().click();
      const frame = timelineFrame(page);
      await frame.locator('#rows [role=gridcell]').first().waitFor({ timeout: 60_000 });
      const labels = await frame.locator('#rows [role=rowheader]').allInnerTexts();
      assert.deepEqual(labels.slice(0, 2), ['A', 'B']);
      const heads = await frame.locator('#head [role=columnheader]').allInnerTexts();
      assert.deepEqual(heads.slice(0, 3), ['folio', 'pass 0 unmap', 'pass 0 move']);
      const eagain = frame.locator('#rows [role=gridcell][data-outcome="EAGAIN"]');
      assert.equal(await eagain.count(), 3, 'B has one EAGAIN per async pass');
      assert.equal(await frame.locator('#rows [role=gridcell][data-outcome="MIGRATEPAGE_SUCCESS"]').count(), 2);
      assert.match(await frame.locator('#legend').innerText(), /EAGAIN/);
      await w().screenshot('5-timeline');

      // keyboard: focus the grid, go to B's pass 1 unmap cell (EAGAIN), Enter
      const grid = frame.locator('#grid');
      await grid.focus();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await grid.getAttribute('aria-activedescendant'), 'c-1-2');
      assert.match((await frame.locator('#c-1-2').getAttribute('aria-label')) ?? '', /^B, pass 1 unmap: EAGAIN/);
      const event = async () => {
        const rows = await variableRows(page);
        return ['event', 'folio', 'pass'].map((k) => (rows.find((r) => r.startsWith(`${k} = `)) ?? '').replace(/ \(.*$/, '')).join(', ');
      };
      await page.keyboard.press('Enter');
      await poll('the debugger to jump to B\'s EAGAIN of pass 1', async () => ((await event()) === 'event = EAGAIN, folio = B, pass = 1' ? true : undefined), 30_000).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the Event scope shows ${await event()}`);
      });
      // a click works as well: B's migration in the sync pass
      await frame.locator('#rows [role=gridcell][data-outcome="MIGRATEPAGE_SUCCESS"]').last().click();
      await poll('the debugger to jump to B\'s MIGRATEPAGE_SUCCESS', async () => ((await event()) === 'event = MIGRATEPAGE_SUCCESS, folio = B, pass = 3' ? true : undefined), 30_000).catch(async (e: unknown) => {
        throw new Error(`${String(e)}; the Event scope shows ${await event()}`);
      });
      await w().screenshot('5-timeline-goto');
      await page.keyboard.press('Shift+F5');
      // outside a debug session a click reveals the scenario line of the event instead
      await poll('the timeline to leave debug mode', async () => (/reveal its scenario line/.test(await frame.locator('#hint').innerText()) ? true : undefined), 30_000);
      await viewLine(page, 'expect stats nr_succeeded').click(); // the cursor elsewhere first
      await frame.locator('#rows [role=gridcell][data-outcome="EAGAIN"]').first().click();
      await poll('the editor to reveal the operation line 14', async () => {
        const sel = (await w().statusBarText('status.editor.selection')) ?? '';
        return /Ln 14\b/.test(sel) ? sel : undefined;
      }, 20_000);
      await w().screenshot('5-timeline-reveal');
    });
  });
});
