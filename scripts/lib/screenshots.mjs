#!/usr/bin/env node
// The README's pictures of the reader's view: an overview paragraph with its quiet markers,
// and the same paragraph with a marker's popover open, from a built site, in Debian's
// headless Chromium through playwright-core. Run by scripts/screenshots.
//
// Usage: node scripts/lib/screenshots.mjs SITE_DIR OUT_DIR
// Env:   CHROMIUM=/usr/bin/chromium
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const [site, out] = process.argv.slice(2);
if (!site || !out) {
  console.error('usage: screenshots.mjs SITE_DIR OUT_DIR');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 }, deviceScaleFactor: 1, colorScheme: 'light' });
  await page.goto(pathToFileURL(path.resolve(site, 'index.html')).href, { waitUntil: 'load' });
  // The first paragraph of the overview that holds a flag (a real disagreement).
  const paragraph = page.locator('main p:has(sup.fm-flag)').first();
  if ((await paragraph.count()) === 0) throw new Error('no overview paragraph with a flag');
  await paragraph.scrollIntoViewIfNeeded();
  await paragraph.screenshot({ path: path.join(out, 'overview-markers.png') });
  const marker = paragraph.locator('sup.fm-flag a').first();
  await marker.focus();
  const popover = page.locator('.popover');
  await popover.waitFor({ state: 'visible', timeout: 5000 });
  const a = await paragraph.boundingBox();
  const b = await popover.boundingBox();
  if (!a || !b) throw new Error('the paragraph or the popover has no box');
  // Boxes are in the viewport; a full-page clip is in the page.
  const scrollY = await page.evaluate(() => window.scrollY);
  const x = Math.max(0, Math.min(a.x, b.x) - 8);
  const y = Math.max(0, Math.min(a.y, b.y) - 8) + scrollY;
  const clip = {
    x, y,
    width: Math.max(a.x + a.width, b.x + b.width) + 8 - x,
    height: Math.max(a.y + a.height, b.y + b.height) + 8 + scrollY - y,
  };
  await page.screenshot({ path: path.join(out, 'popover.png'), clip, fullPage: true });
  console.log(`screenshots: wrote overview-markers.png and popover.png into ${out}`);
} finally {
  await browser.close();
}
