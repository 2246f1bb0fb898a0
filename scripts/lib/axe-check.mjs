#!/usr/bin/env node
// Accessibility check of a built site: every *.html page under SITE_DIR is
// served from a throw-away HTTP server on 127.0.0.1 (free port), opened in
// Debian's headless Chromium through playwright-core, and checked by axe-core
// against WCAG 2.0/2.1 A and AA, once with `prefers-color-scheme: light` and
// once with `dark`.
//
// Usage: node scripts/lib/axe-check.mjs SITE_DIR
// Env:   CHROMIUM=/usr/bin/chromium   browser binary (Debian's chromium)
//        AXE_JOBS=2                   pages checked at once
//        AXE_SCHEMES=light,dark       colour schemes to emulate
//        AXE_POPOVERS=1               also check each page (but claim pages) with a marker's
//                                     popover and a link preview open (0: skip)
//        AXE_SNAPSHOTS=DIR            write the DOM of each page with a popover open there
//
// Prints one line per violation and per broken page:
//   axe: [dark] color-contrast (serious) /entities/x.html :: main > p.note :: <help>
// and a closing summary line; exits 1 if anything was found, 2 on usage or
// infrastructure errors (browser would not start, ...).
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = require('axe-core/package.json').version;

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// AXE_POPOVERS=0 skips the runs with a popover open; AXE_SNAPSHOTS=DIR writes the DOM of
// each such run there (check-site validates them with vnu).
const POPOVERS = process.env.AXE_POPOVERS !== '0';
const SNAPSHOTS = process.env.AXE_SNAPSHOTS || '';
const SCHEMES = (process.env.AXE_SCHEMES || 'light,dark').split(',').map((s) => s.trim()).filter(Boolean);
const JOBS = Math.max(1, Number(process.env.AXE_JOBS || 2));
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium';
// Flags needed for Chromium as root on a closed network. Playwright's launch()
// already starts every run with a fresh, temporary --user-data-dir, and
// chromiumSandbox:false adds --no-sandbox.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.pdf': 'application/pdf',
  '.map': 'application/json',
};

function fail(msg, code = 2) {
  console.error(`axe: error: ${msg}`);
  process.exit(code);
}

function listHtml(dir, base = dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listHtml(full, base, out);
    else if (/\.html?$/i.test(entry.name)) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

// A static file server like GitHub Pages: /dir/ -> /dir/index.html,
// /dir -> 301 /dir/, anything missing -> 404.
function startServer(root) {
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    let st;
    try {
      st = statSync(file);
      if (st.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: pathname + '/' }).end();
          return;
        }
        file = path.join(file, 'index.html');
        st = statSync(file);
      }
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function checkPage(context, origin, rel, scheme) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught script error: ${String(err.message || err).split('\n')[0]}`));
  page.on('response', (resp) => {
    const url = resp.url();
    if (resp.status() >= 400 && url.startsWith(origin) && !url.endsWith('/favicon.ico')) {
      problems.push(`HTTP ${resp.status()} for ${url.slice(origin.length)}`);
    }
  });
  try {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${origin}/${rel.split('/').map(encodeURIComponent).join('/')}`, { waitUntil: 'load', timeout: 30000 });
    await page.evaluate(() => document.fonts && document.fonts.ready);
    await page.evaluate(AXE_SOURCE);
    const run = () =>
      page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        TAGS,
      );
    const violations = (await run()).violations;
    // With a popover open: a marker's (a dialog) and a link's preview (a tooltip), on every
    // page but the claim pages (which repeat the same markers).
    if (POPOVERS && !rel.startsWith('claims/')) {
      for (const [what, selector] of [
        ['marker popover', 'main sup.fm a'],
        ['link preview', 'main a.ref'],
      ]) {
        const trigger = page.locator(selector).first();
        if ((await trigger.count()) === 0) continue;
        await trigger.focus();
        const opened = await page
          .waitForSelector('.popover', { state: 'visible', timeout: 2000 })
          .then(() => true)
          .catch(() => false);
        if (!opened) {
          problems.push(`focusing the first \`${selector}\` opened no popover`);
          continue;
        }
        for (const v of (await run()).violations) {
          violations.push({ ...v, help: `${v.help} (with the ${what} open)` });
        }
        if (SNAPSHOTS) {
          const name = `${rel.replaceAll('/', '--')}.${what.replaceAll(' ', '-')}.html`;
          writeFileSync(path.join(SNAPSHOTS, name), await page.content());
        }
        await page.keyboard.press('Escape');
      }
    }
    return { violations, problems };
  } finally {
    await page.close();
  }
}

async function main() {
  const arg = process.argv[2];
  if (!arg || process.argv.length > 3) fail('usage: axe-check.mjs SITE_DIR');
  const root = path.resolve(arg);
  try {
    if (!statSync(root).isDirectory()) fail(`${root} is not a directory`);
  } catch {
    fail(`${root} does not exist`);
  }
  const pages = listHtml(root);
  if (pages.length === 0) fail(`no .html pages under ${root}`);
  for (const s of SCHEMES) if (!['light', 'dark'].includes(s)) fail(`unknown colour scheme '${s}'`);

  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: EXECUTABLE,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      timeout: 60000,
    });
  } catch (err) {
    server.close();
    fail(`could not start ${EXECUTABLE}: ${err.message}`);
  }

  let violationCount = 0;
  let nodeCount = 0;
  let problemCount = 0;
  const byRule = new Map();
  try {
    for (const scheme of SCHEMES) {
      const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
      const queue = [...pages];
      const results = new Map();
      await Promise.all(
        Array.from({ length: Math.min(JOBS, queue.length) }, async () => {
          while (queue.length) {
            const rel = queue.shift();
            try {
              results.set(rel, await checkPage(context, origin, rel, scheme));
            } catch (err) {
              results.set(rel, { violations: [], problems: [`could not be checked: ${err.message.split('\n')[0]}`] });
            }
          }
        }),
      );
      await context.close();
      // Report in a stable order.
      for (const rel of pages) {
        const { violations, problems } = results.get(rel);
        for (const p of problems) {
          problemCount++;
          console.log(`axe: [${scheme}] page-problem /${rel} :: ${p}`);
        }
        for (const v of violations) {
          violationCount++;
          byRule.set(v.id, (byRule.get(v.id) || 0) + v.nodes.length);
          for (const node of v.nodes) {
            nodeCount++;
            const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
            const check = [...node.any, ...node.all, ...node.none].find((c) => c.message);
            const detail = check ? ` :: ${check.message.replace(/\s+/g, ' ')}` : '';
            console.log(`axe: [${scheme}] ${v.id} (${v.impact || node.impact || 'n/a'}) /${rel} :: ${target} :: ${v.help}${detail}`);
          }
        }
      }
    }
  } finally {
    await browser.close().catch(() => {});
    server.close();
  }

  const schemes = SCHEMES.join('+');
  if (byRule.size) {
    console.log(`axe: by rule: ${[...byRule].map(([id, n]) => `${id}=${n}`).join(', ')}`);
  }
  const extra = problemCount ? `, ${problemCount} page problems` : '';
  console.log(
    `axe: ${violationCount} violations (${nodeCount} elements)${extra} in ${pages.length} pages (${schemes}; axe-core ${AXE_VERSION}; ${TAGS.join(',')})`,
  );
  process.exit(violationCount || problemCount ? 1 : 0);
}

main().catch((err) => fail(err.stack || String(err)));
