// The browser half of `cargo xtask bench`: Lighthouse (npm 12.2.3, default mobile config with
// simulated throttling) on each target, median of three runs; then, on the portal, the time from
// a click on "send" to the confirmation page and the bytes a repeat visit fetches with the
// service worker active. Prints one JSON object on stdout; progress goes to stderr.
//
//   node xtask/bench/browser.mjs '{"targets":{"portal":URL,...},"portal":URL,"runs":3}'
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { chromium } from '@playwright/test';

const { targets, portal, runs = 3, sends = 5 } = JSON.parse(process.argv[2]);
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const flags = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
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
        bytes: audit('total-byte-weight'),
      });
      console.error(`lighthouse ${url} run ${i + 1}: ${JSON.stringify(results.at(-1))}`);
    } finally {
      await chrome.kill();
    }
  }
  const pick = (key) => median(results.map((r) => r[key]));
  return { score: pick('score'), fcp: pick('fcp'), lcp: pick('lcp'), tbt: pick('tbt'), cls: pick('cls'), bytes: pick('bytes') };
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
  console.error(`send → confirmation: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  return median(times);
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
    fetched.add(u.pathname + u.search);
  });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(5000);
  await page.waitForLoadState('networkidle');
  await context.close();
  const paths = [...fetched].map((p) => p.split('?')[0]).sort();
  console.error(`first visit ${url}: ${paths.join(' ')}`);
  return paths;
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
  console.error(`repeat visit: ${JSON.stringify(fetched)}`);
  return fetched;
}

const lighthouseResults = {};
for (const [name, url] of Object.entries(targets)) {
  lighthouseResults[name] = await lighthouseRuns(url);
}
const browser = await chromium.launch({ executablePath: chromePath, args: flags.filter((f) => f !== '--headless=new') });
const firstVisits = {};
for (const [name, url] of Object.entries(targets)) firstVisits[name] = await firstVisit(browser, url);
firstVisits.portalForm = await firstVisit(browser, `${portal}/lapor`);
const sendMs = await sendToConfirmation(browser);
const repeat = await repeatVisit(browser);
await browser.close();
console.log(JSON.stringify({ lighthouse: lighthouseResults, firstVisit: firstVisits, sendMs, repeat }));
