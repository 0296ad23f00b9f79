// Looks at a running workbench (e.g. the one `npm start` serves): loads the
// address in Chromium, optionally opens a file, and saves a screenshot.
// Usage: npx tsx test/e2e/screenshot.ts <address> <out.png> [file to open]
import { chromium } from 'playwright-core';

const [url, out, file] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: npx tsx test/e2e/screenshot.ts <address> <out.png> [file to open]');
  process.exit(2);
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.MIGTRACE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    if (file) {
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(file);
      await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .monaco-editor .view-lines .view-line').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(2000); // let the language server answer (outline, diagnostics)
    }
    await page.screenshot({ path: out });
    console.log(`saved ${out}`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
