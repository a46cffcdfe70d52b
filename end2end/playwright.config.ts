import { defineConfig } from '@playwright/test';

// `cargo xtask test` starts the reference server (release app, throw-away database) and sets
// BASE_URL and ADMIN_TOKEN. Browsers are Debian's Chromium: Playwright never downloads one.
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:8080',
    browserName: 'chromium',
    locale: 'id-ID',
    // Service workers only where a test asks for them (pwa.spec.ts): a worker answering from
    // its cache would hide the network conditions the other tests set up with `page.route`.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
