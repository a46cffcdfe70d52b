import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReport, waitForApp, waitForServiceWorker, setOffline } from './helpers';

// A deploy under visitors who have the portal, with its service worker, from before. `cargo
// xtask test` serves a copy of the release build (DEPLOY_DIST, at DEPLOY_URL) that these tests
// change as a new build would: every content-hashed file gets new bytes and a new name, the
// old files are gone, index.html and sw.js name the new ones. The copy is put back from
// DEPLOY_ORIGINAL before each test, so they run one after another.
const DIST = process.env.DEPLOY_DIST;
const ORIGINAL = process.env.DEPLOY_ORIGINAL;
const URL_ = process.env.DEPLOY_URL;

test.use({ serviceWorkers: 'allow', baseURL: URL_ });
test.describe.configure({ mode: 'serial' });

test.beforeEach(() => {
  if (!DIST || !ORIGINAL || !URL_) throw new Error('DEPLOY_DIST, DEPLOY_ORIGINAL and DEPLOY_URL come from `cargo xtask test`');
  for (const name of readdirSync(DIST)) rmSync(join(DIST, name), { recursive: true, force: true });
  cpSync(ORIGINAL, DIST, { recursive: true });
});

const HASHED = /-([0-9a-f]{16})(_bg)?\.(js|wasm|css)$/;

/** The build's content hash (FNV-1a, 64 bits; xtask/src/split.rs). */
function contentHash(bytes: Buffer): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Drops a file and its pre-compressed copies (the server would send a stale `.br`). */
function remove(name: string) {
  for (const suffix of ['', '.br', '.gz']) rmSync(join(DIST!, name + suffix), { force: true });
}

function replaceAll(text: string, renames: Map<string, string>): string {
  for (const [from, to] of renames) text = text.split(from).join(to);
  return text;
}

/**
 * Mimics a new release in DIST: new bytes (a comment, or an empty custom section for wasm) and
 * new names for every hashed file, leaves first so each reference is rewritten before the file
 * holding it is hashed; the old files are deleted; index.html and sw.js (its precache list and
 * index.html's revision) name the new ones. Returns the old → new names.
 */
function deployNewBuild(): Map<string, string> {
  const rank = (name: string) =>
    name.endsWith('.css') || (name.endsWith('.wasm') && !name.endsWith('_bg.wasm')) ? 0
    : name.startsWith('__wasm_split') || name.endsWith('_bg.wasm') ? 1
    : 2;
  const hashed = readdirSync(DIST!).filter((n) => HASHED.test(n)).sort((a, b) => rank(a) - rank(b));
  const renames = new Map<string, string>();
  for (const name of hashed) {
    let bytes = readFileSync(join(DIST!, name));
    if (name.endsWith('.wasm')) {
      // A custom section named "deploy" with no payload: still a valid module.
      bytes = Buffer.concat([bytes, Buffer.from([0, 7, 6, ...Buffer.from('deploy')])]);
    } else if (name.endsWith('.js')) {
      bytes = Buffer.from(`${replaceAll(bytes.toString('utf8'), renames)}\n// the next build\n`);
    } else {
      bytes = Buffer.concat([bytes, Buffer.from('\n/* the next build */\n')]);
    }
    const next = name.replace(HASHED, (_m, _hash, bg, ext) => `-${contentHash(bytes)}${bg ?? ''}.${ext}`);
    writeFileSync(join(DIST!, next), bytes);
    remove(name);
    renames.set(name, next);
  }
  const index = replaceAll(readFileSync(join(DIST!, 'index.html'), 'utf8'), renames);
  remove('index.html');
  writeFileSync(join(DIST!, 'index.html'), index);
  const revision = createHash('md5').update(index).digest('hex');
  const worker = replaceAll(readFileSync(join(DIST!, 'sw.js'), 'utf8'), renames).replace(
    /\{url:"index\.html",revision:"[0-9a-f]+"\}/,
    `{url:"index.html",revision:"${revision}"}`,
  );
  expect(worker).toContain(revision);
  remove('sw.js');
  writeFileSync(join(DIST!, 'sw.js'), worker);
  return renames;
}

/** Every cached URL path, in every cache of the origin. */
async function cachedPaths(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** The start-up script's names of the bindings and the main wasm, as the page runs them. */
async function startupNames(page: Page): Promise<string[]> {
  const script = await page.evaluate(() => document.querySelector('head script[type=module]')?.textContent ?? '');
  return [...script.matchAll(/[\w-]+-[0-9a-f]{16}(?:_bg)?\.(?:js|wasm)/g)].map((m) => m[0]);
}

test('after a deploy, a visitor with the old version keeps working, then updates, and never hangs', async ({ page, browser }) => {
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.getByRole('link', { name: 'Tanya jawab' }).first().click();
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  const before = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.slice(1)),
  );

  const renames = deployNewBuild();
  for (const old of renames.keys()) expect(readdirSync(DIST!)).not.toContain(old);

  // The old version still opens, from the worker's copies.
  await page.goto('/');
  await waitForApp(page);
  await page.goto('/faq');
  await waitForApp(page);
  await expect(page.locator('.faq-item').first()).toBeVisible();

  // A visitor with nothing cached gets the new build straight away (the server noticed it).
  const fresh = await browser.newContext({ serviceWorkers: 'block', baseURL: URL_ });
  const freshPage = await fresh.newPage();
  await freshPage.goto('/');
  await waitForApp(freshPage);
  const freshNames = await startupNames(freshPage);
  expect(freshNames.length).toBeGreaterThan(0);
  for (const name of freshNames) expect([...renames.values()]).toContain(name);
  await fresh.close();

  // The new worker is offered; accepting it loads the new build, whose pages open too.
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const offer = page.getByRole('region', { name: 'Muat versi baru' });
  await expect(offer).toContainText('Versi baru portal tersedia');
  await offer.getByRole('button', { name: 'Muat versi baru' }).click();
  await expect.poll(() => startupNames(page).catch(() => [])).toEqual(expect.arrayContaining([...renames.values()].filter((n) => n.startsWith('lapor-portal-'))));
  await waitForApp(page);
  await page.getByRole('link', { name: 'Tanya jawab' }).first().click();
  await expect(page.locator('main h1')).toHaveText('Tanya jawab');
  await expect(page.locator('.faq-item').first()).toBeVisible();
  expect(before.some((name) => renames.has(name))).toBe(true);
  // The old version's shell is gone from the device; the new one is the only one kept.
  const shells = await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('lapor-shell-')));
  expect(shells).toHaveLength(1);
  const shellPaths = await page.evaluate(
    async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname.slice(1)),
    shells[0],
  );
  for (const name of renames.values()) if (name.startsWith('lapor-portal-')) expect(shellPaths).toContain(name);
  for (const name of renames.keys()) expect(shellPaths).not.toContain(name);
});

test('a hashed file missing under a registered worker shows the load error, not "Memuat portal…"', async ({ page }) => {
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  const wasm = readdirSync(DIST!).find((n) => n.endsWith('_bg.wasm'))!;
  // Gone from the server and from the worker's copies (a cache the browser evicted)…
  remove(wasm);
  await page.evaluate(async (path) => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) if (new URL(request.url).pathname === path) await cache.delete(request);
    }
  }, `/${wasm}`);
  // …and from the HTTP cache, where it is kept for a year.
  await (await page.context().newCDPSession(page)).send('Network.clearBrowserCache');
  const missing = await page.request.get(`/${wasm}`);
  expect(missing.status()).toBe(404);

  await page.reload();
  const notice = page.locator('#load-error');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('role', 'alert');
  await expect(notice).toContainText('Server sedang bermasalah. Coba lagi sebentar lagi.');
  await expect(notice).toContainText('The server has a problem.');
  await expect(page.locator('.splash__note')).toHaveCount(0);
  // What the server answered for the wasm was kept nowhere.
  expect(await cachedPaths(page)).not.toContain(`/${wasm}`);

  // Once the file is back, the notice's button starts the portal.
  cpSync(join(ORIGINAL!, wasm), join(DIST!, wasm));
  await notice.getByRole('button', { name: /Coba lagi/ }).click();
  await waitForApp(page);
});

test('the worker never keeps a report fetched with its access code', async ({ page, request }) => {
  const report = await createReport(request, { title: 'Pungutan liar di kantor desa', confidential: true }, URL_);
  await page.goto('/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  const path = `/api/v1/reports/${report.tracking_id}`;
  const status = await page.evaluate(
    async ({ path, code }) => (await fetch(`.${path}`, { headers: { 'X-Access-Code': code } })).status,
    { path, code: report.access_code },
  );
  expect(status).toBe(200);
  // The worker stores after answering: give it the time it would take.
  await page.waitForTimeout(1000);
  expect(await cachedPaths(page)).not.toContain(path);
  // Offline, the view with the code is not answered from any copy.
  await setOffline(page.context(), true);
  const offline = await page.evaluate(
    async ({ path, code }) => {
      try {
        return (await fetch(`.${path}`, { headers: { 'X-Access-Code': code } })).status;
      } catch {
        return 'network error';
      }
    },
    { path, code: report.access_code },
  );
  expect(offline).toBe('network error');
  await setOffline(page.context(), false);
});
