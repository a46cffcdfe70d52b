// The browser half of `cargo xtask bench`. Every entry route of the portal measured the way a
// first visitor meets it, beside the framework and physical floors:
//
// - Lighthouse (npm 12.2.3, default mobile config: simulated slow 4G, 4× CPU) on each route and
//   floor, `runs` times: the median and the worst run;
// - the files a first visit fetches (service worker allowed, until the network is quiet);
// - "ready": from navigation until the page takes a key with the main thread free: on the form
//   its first input, which index.html's first paint already offers (what is typed there goes
//   to the app: checked by typing and finding it in the app's form), elsewhere the page's own
//   view in `#main`; and "app": until the app's own view is in, for every route; under devtools
//   throttling equal to Lighthouse's (CDP: CPU 4×, 562.5 ms latency, 1.47 Mbit/s down), median
//   of `readyRuns`;
// - the embedded form on a host page of another origin: what the host pays before the iframe is
//   scrolled into view, and the iframe's files and ready time once it is;
// - on the portal: send → confirmation, and the repeat visit with the service worker.
//
// Prints one JSON object on stdout; progress goes to stderr.
//
//   node xtask/bench/browser.mjs '{"portal":URL,"floors":{"framework":URL,…},"hostPort":N,…}'
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from '@playwright/test';

const plan = JSON.parse(process.argv[2]);
const { portal, floors, hostPort, hostPage, runs = 3, readyRuns = 3, sends = 5 } = plan;
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const flags = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];
const log = (...args) => console.error(...args);

const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
};

const hostOrigin = `http://127.0.0.1:${hostPort}`;
const embedQuery = new URLSearchParams({
  // What public/embed.js puts in the iframe's URL for the demo host page (end2end/embed-host).
  embed: '1', parent: hostOrigin, agency: 'kendal-dinkes', category: 'kesehatan',
  classification: 'complaint', locale: 'id', accent: '#7c2d12',
}).toString();

// A report to open, as a shared tracking link would.
async function createReport() {
  const response = await fetch(`${portal}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': `bench-${Date.now()}` },
    body: JSON.stringify({
      classification: 'complaint',
      title: 'Jalan berlubang di depan pasar',
      body: 'Sejak dua minggu lalu ada lubang besar yang membahayakan pengendara motor.',
      incident_date: new Date().toISOString().slice(0, 10),
      location: { region_id: '33.24.15' },
    }),
  });
  if (response.status !== 201) throw new Error(`creating a report: ${response.status} ${await response.text()}`);
  return (await response.json()).tracking_id;
}

// The entry routes, and what "app" waits for on each: the page's own view in the app's `#main`
// (the static first paint gone); on the form, its first input. `typeable`: where the form takes
// a key before that, in the first paint or the app, whichever comes first.
const tracking = await createReport();
const formInput = '#first-paint-form input:not([disabled]), #main #report-form input:not([disabled])';
const routes = {
  home: { path: '/', ready: '#main h1' },
  form: { path: '/lapor', ready: '#main #report-form input:not([disabled])', typeable: formInput },
  embedded: { path: `/lapor?${embedQuery}`, ready: '#main #report-form input:not([disabled])', typeable: formInput },
  report: { path: `/lacak/${tracking}`, ready: '#main h1' },
  faq: { path: '/faq', ready: '#main #faq-search' },
  list: { path: '/laporan', ready: '#main h1' },
};

async function lighthouseRuns(url) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: flags });
    try {
      const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
      const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
      results.push({
        score: Math.round((lhr.categories.performance.score ?? 0) * 100),
        fcp: audit('first-contentful-paint'),
        lcp: audit('largest-contentful-paint'),
        tbt: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
        tti: audit('interactive'),
      });
      log(`lighthouse ${url} run ${i + 1}: ${JSON.stringify(results.at(-1))}`);
    } finally {
      await chrome.kill();
    }
  }
  const pick = (key) => median(results.map((r) => r[key]));
  const worst = (key, sign) => results.map((r) => r[key]).reduce((a, b) => (sign * (b - a) > 0 ? b : a));
  return {
    score: pick('score'), fcp: pick('fcp'), lcp: pick('lcp'), tbt: pick('tbt'), cls: pick('cls'), tti: pick('tti'),
    minScore: worst('score', -1), maxTbt: worst('tbt', 1), maxCls: worst('cls', 1),
    runs: results,
  };
}

// The same-origin files a first visit fetches from the network, the page's and its service
// worker's (precache) alike, until the network has been quiet for a while; API data is not
// counted. Paths are relative to the target's root.
async function firstVisit(browser, url) {
  const context = await browser.newContext({ locale: 'id-ID', serviceWorkers: 'allow' });
  const root = new URL(url);
  const fetched = new Set();
  context.on('requestfinished', async (request) => {
    // A worker's request may finish as the context closes.
    const response = await request.response().catch(() => null);
    if (!response || response.fromServiceWorker()) return;
    const u = new URL(request.url());
    if (u.origin !== root.origin || u.pathname.includes('/api/')) return;
    fetched.add(u.pathname);
  });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(5000);
  await page.waitForLoadState('networkidle');
  const heading = await page.locator('#main h1').first().textContent({ timeout: 10_000 }).catch(() => null);
  await context.close();
  const paths = [...fetched].sort();
  log(`first visit ${url}: ${paths.join(' ')}`);
  return { paths, heading };
}

/** Devtools throttling equal to Lighthouse's mobile slow 4G and 4× CPU. */
async function throttle(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 562.5,
    downloadThroughput: (1474.56 * 1024) / 8,
    uploadThroughput: (675 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

// Recorded in every frame from its navigation: the first moment `ready` is in the app's view (the
// static first paint gone), and the first moment `typeable` (or else `ready`) takes input, in the
// first paint or the app; each time when the main thread is next free to take a key.
function readyProbe({ ready, typeable }) {
  window.__benchReady = null;
  window.__benchTypeable = null;
  const at = (name) => setTimeout(() => { window[name] ??= performance.now(); }, 0);
  const check = (_, observer) => {
    if (typeable && document.querySelector(typeable)) at('__benchTypeable');
    if (document.getElementById('splash') || !document.querySelector(ready)) return;
    observer?.disconnect();
    at('__benchTypeable');
    at('__benchReady');
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
}

// On the form, as a citizen would: the first kind chosen with Space, then a title typed, as soon
// as the page takes a key; the app must then hold both (what the first paint took went over).
async function typeIntoForm(page, route) {
  await page.locator(route.typeable).first().focus();
  await page.keyboard.press('Space');
  await page.locator('#first-paint-title:visible, #main #title:visible').first().focus();
  await page.keyboard.type('Lampu jalan mati');
  await page.waitForFunction(() => window.__benchReady != null, null, { timeout: 60_000, polling: 100 });
  const kept = await page.evaluate(() => [document.querySelector('#main input[name="classification"]')?.checked, document.querySelector('#main #title')?.value]);
  if (kept[0] !== true || kept[1] !== 'Lampu jalan mati') {
    throw new Error(`${route.path}: the app's form lost what was typed before it came: ${JSON.stringify(kept)}`);
  }
}

async function readyTimes(browser, route) {
  const typeable = [];
  const app = [];
  for (let i = 0; i < readyRuns; i++) {
    const context = await browser.newContext({ locale: 'id-ID', serviceWorkers: 'block' });
    const page = await context.newPage();
    await throttle(page);
    await page.addInitScript(readyProbe, { ready: route.ready, typeable: route.typeable });
    await page.goto(`${portal}${route.path}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__benchTypeable != null, null, { timeout: 60_000, polling: 100 });
    typeable.push(await page.evaluate(() => window.__benchTypeable));
    if (route.typeable) await typeIntoForm(page, route);
    await page.waitForFunction(() => window.__benchReady != null, null, { timeout: 60_000, polling: 100 });
    app.push(await page.evaluate(() => window.__benchReady));
    await context.close();
  }
  log(`ready ${route.path}: takes a key ${typeable.map((t) => t.toFixed(0)).join(', ')} ms; app ${app.map((t) => t.toFixed(0)).join(', ')} ms`);
  return { median: median(typeable), runs: typeable, app: { median: median(app), runs: app } };
}

// The demo host page (end2end/embed-host) with a long article above the embed, so the iframe
// starts out of view: what the host page pays first, then what scrolling to the form costs.
async function embeddedOnHost(browser) {
  const html = readFileSync(hostPage, 'utf8')
    .replace('{{PORTAL}}', portal)
    .replace('<main>', `<article>${'<p>Berita daerah. '.repeat(5)}</p>`.repeat(40) + '<main>');
  const host = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise((resolve) => host.listen(hostPort, '127.0.0.1', resolve));
  try {
    const context = await browser.newContext({ locale: 'id-ID', serviceWorkers: 'block' });
    const page = await context.newPage();
    await throttle(page);
    await page.addInitScript(readyProbe, { ready: routes.embedded.ready, typeable: routes.embedded.typeable });
    let scrolled = false;
    const before = new Set();
    const after = new Set();
    page.on('requestfinished', (request) => {
      const u = new URL(request.url());
      if (u.origin !== new URL(portal).origin || u.pathname.includes('/api/')) return;
      (scrolled ? after : before).add(u.pathname);
    });
    await page.goto(`${hostOrigin}/`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1000);
    const iframeLoadedEarly = page.frames().some((f) => f.url().startsWith(portal));
    scrolled = true;
    const scrolledAt = await page.evaluate(() => {
      document.querySelector('iframe').scrollIntoView();
      return performance.now();
    });
    const frame = await (async () => {
      for (let i = 0; i < 600; i++) {
        const f = page.frames().find((f) => f.url().startsWith(portal));
        if (f) return f;
        await page.waitForTimeout(50);
      }
      throw new Error('the iframe never loaded');
    })();
    await frame.waitForFunction(() => window.__benchReady != null, null, { timeout: 60_000, polling: 100 });
    // The frame's clock starts at its own navigation; the host's at the host's.
    const frameReady = await frame.evaluate(() => window.__benchTypeable);
    const frameApp = await frame.evaluate(() => window.__benchReady);
    const frameStart = await frame.evaluate(() => performance.timeOrigin);
    const hostStart = await page.evaluate(() => performance.timeOrigin);
    const fromScroll = frameStart + frameReady - (hostStart + scrolledAt);
    await page.waitForLoadState('networkidle');
    await context.close();
    const result = {
      beforeScroll: [...before].sort(),
      iframeLoadedEarly,
      afterScroll: [...after].sort(),
      readyFromScroll: fromScroll,
      readyFromFrameNavigation: frameReady,
      appFromFrameNavigation: frameApp,
    };
    log(`embedded on a host page: ${JSON.stringify(result)}`);
    return result;
  } finally {
    host.close();
  }
}

async function sendToConfirmation(browser) {
  const times = [];
  for (let i = 0; i < sends; i++) {
    const context = await browser.newContext({ locale: 'id-ID', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${portal}/lapor`);
    await page.getByLabel('Aspirasi', { exact: true }).check();
    await page.getByLabel('Judul laporan').fill(`Bench ${Date.now()}`);
    await page.getByLabel('Isi laporan').fill('Pengukuran waktu kirim sampai halaman konfirmasi oleh cargo xtask bench.');
    await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
    const send = page.getByRole('button', { name: 'Kirim laporan' });
    await send.waitFor();
    // Timed inside the page: from the click event to the confirmation heading in the DOM.
    await page.evaluate(() => {
      const w = window;
      document.addEventListener('click', () => { w.__sentAt = performance.now(); }, { capture: true, once: true });
      new MutationObserver((_, observer) => {
        if (document.querySelector('main h1')?.textContent === 'Laporan terkirim') {
          w.__confirmedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await send.click();
    await page.waitForFunction(() => window.__confirmedAt !== undefined);
    times.push(await page.evaluate(() => window.__confirmedAt - window.__sentAt));
    await context.close();
  }
  log(`send → confirmation: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return median(times);
}

async function repeatVisit(browser) {
  const context = await browser.newContext({ locale: 'id-ID', serviceWorkers: 'allow' });
  const page = await context.newPage();
  await page.goto(`${portal}/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  // shell: the app itself; data: the API; updateCheck: the browser's check for a new worker.
  const fetched = { shell: 0, data: 0, updateCheck: 0, shellFiles: [], keptForOffline: [] };
  // The worker's own downloads: the pages' code it keeps for offline use.
  context.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (request.serviceWorker() && path.endsWith('.wasm')) fetched.keptForOffline.push(path);
  });
  page.on('requestfinished', async (request) => {
    const response = await request.response().catch(() => null);
    if (!response || response.fromServiceWorker()) return;
    const sizes = await request.sizes();
    const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
    const path = new URL(request.url()).pathname;
    if (path.includes('/api/')) fetched.data += bytes;
    else if (/\/sw(-app|-pages)?\.js$/.test(path)) fetched.updateCheck += bytes;
    else {
      fetched.shell += bytes;
      fetched.shellFiles.push(path);
    }
  });
  await page.goto(`${portal}/`);
  await page.locator('main h1').waitFor();
  // The worker fetches the pages' code 3 s after the start of this second visit.
  await page.waitForTimeout(6000);
  await context.close();
  log(`repeat visit: ${JSON.stringify(fetched)}`);
  return fetched;
}

const browser = await chromium.launch({ executablePath: chromePath, args: flags.filter((f) => f !== '--headless=new') });
const out = { routes: {}, floors: {} };
// A route the app does not have yet shows the not-found page: measured as "not built".
const notFound = (await firstVisit(browser, `${portal}/__bench-no-such-page`)).heading;
for (const [name, route] of Object.entries(routes)) {
  const visit = await firstVisit(browser, `${portal}${route.path}`);
  const built = visit.heading !== notFound;
  out.routes[name] = { path: route.path, built, firstVisit: visit.paths };
  if (!built) log(`${route.path}: not built (the app shows its not-found page)`);
}
for (const [name, url] of Object.entries(floors)) {
  out.floors[name] = { firstVisit: (await firstVisit(browser, url)).paths };
}
for (const [name, route] of Object.entries(routes)) {
  if (out.routes[name].built) out.routes[name].ready = await readyTimes(browser, route);
}
out.host = await embeddedOnHost(browser);
out.sendMs = await sendToConfirmation(browser);
out.repeat = await repeatVisit(browser);
await browser.close();
for (const [name, route] of Object.entries(routes)) {
  if (out.routes[name].built) out.routes[name].lighthouse = await lighthouseRuns(`${portal}${route.path}`);
}
for (const [name, url] of Object.entries(floors)) out.floors[name].lighthouse = await lighthouseRuns(url);
console.log(JSON.stringify(out));
