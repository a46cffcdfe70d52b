import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { attachSmallPng, chooseLanguage, expectNoAxeViolations, fillReport, openForm, reportsTitled, sendAspirationOffline, setOffline, waitForApp } from './helpers';

// A route handler still fetching when a test ends (the app refreshes in the background) is
// no failure of the test, nor of the next one.
test.afterEach(async ({ page }) => page.unrouteAll({ behavior: 'ignoreErrors' }));

const TITLE = 'Jalan berlubang di depan pasar';
const BODY = 'Sejak dua minggu lalu ada lubang besar yang membahayakan pengendara motor.';

function yesterday() {
  const d = new Date(Date.now() - 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Picks a region by typing and choosing the first suggestion with the keyboard. */
async function pickRegion(page: Page, text: string) {
  await page.locator('#region').fill(text);
  await expect(page.locator('#region-listbox [role=option]').first()).toBeVisible();
  await page.locator('#region').press('ArrowDown');
  await expect(page.locator('#region')).toHaveAttribute('aria-activedescendant', 'region-option-0');
  await page.locator('#region').press('Enter');
  await expect(page.locator('#region-hint')).toContainText(text, { ignoreCase: true });
}

async function fillBasics(page: Page, kind: string) {
  await fillReport(page, kind, TITLE, BODY);
}

async function reviewAndSend(page: Page) {
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await expect(page.locator('main h1')).toBeFocused();
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  const tracking = (await page.locator('#tracking-number').innerText()).trim();
  expect(tracking).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
  return tracking;
}

test('a complaint goes from the form to a tracking number', async ({ page, request }) => {
  await openForm(page);
  await expectNoAxeViolations(page);
  await fillBasics(page, 'Pengaduan');
  await page.locator('#incident-date').fill(yesterday());
  await pickRegion(page, 'Weleri');
  await page.getByLabel('Detail lokasi (opsional)').fill('Depan Pasar Weleri');
  await page.getByLabel('Saya tahu instansinya').check();
  await page.locator('#agency').fill('pekerjaan umum kendal');
  await page.locator('#agency-listbox [role=option]').first().click();
  await expect(page.locator('#agency-hint')).toContainText('Dinas Pekerjaan Umum');
  await page.getByLabel('Kategori (opsional)').selectOption('infrastruktur');
  await page.getByLabel('Nama', { exact: true }).fill('Siti Rahayu');
  await page.getByLabel('Email').fill('siti@contoh.id');
  await expectNoAxeViolations(page);
  const tracking = await reviewAndSend(page);
  await expect(page.locator('#access-code')).toHaveText(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await expect(page.locator('#due-date')).toContainText('paling lambat');
  await expect(page.locator('#due-date')).toContainText('14 hari kerja');
  await expectNoAxeViolations(page);

  const view = await (await request.get(`/api/v1/reports/${tracking}`)).json();
  expect(view.classification).toBe('complaint');
  expect(view.title).toBe(TITLE);
  expect(view.agency).toBe('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal');
  expect(view.category).toBe('Infrastruktur dan jalan');

  // The report is remembered on this device: tracking it shows the status.
  await page.getByRole('link', { name: 'Lacak laporan ini' }).click();
  await expect(page.locator('.badge')).toHaveText('Diterima');
});

for (const [kind, code, days] of [
  ['Aspirasi', 'aspiration', 14],
  ['Permintaan informasi', 'information_request', 5],
] as const) {
  test(`an ${code} needs no incident date or place`, async ({ page, request }) => {
    await openForm(page);
    await fillBasics(page, kind);
    await expect(page.locator('#incident-date')).toHaveCount(0);
    await expect(page.getByText('Tempat tinggal Anda (opsional)')).toBeVisible();
    const tracking = await reviewAndSend(page);
    await expect(page.locator('#due-date')).toContainText(`${days} hari kerja`);
    const view = await (await request.get(`/api/v1/reports/${tracking}`)).json();
    expect(view.classification).toBe(code);
  });
}

test('client-side errors are summarised, linked and shown beside the fields', async ({ page }) => {
  await openForm(page);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Pilih jenis laporan.']);

  await page.getByLabel('Pengaduan', { exact: true }).check();
  await page.getByLabel('Judul laporan').fill('Rusak');
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(summary).toBeFocused();
  // Each entry names its field (GOV.UK's error summary) and links to it.
  await expect(summary.getByRole('link')).toHaveText([
    'Judul laporan paling sedikit 10 karakter.',
    'Tulis isi laporan: apa yang terjadi.',
    'Isi tanggal kejadian.',
    'Pilih wilayah kejadian.',
  ]);
  expect(await summary.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
    '#title',
    '#body',
    '#incident-date',
    '#region',
  ]);
  await expect(page.locator('#title')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#title-error')).toHaveText('Judul laporan paling sedikit 10 karakter.');
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(summary.getByRole('link')).toHaveText([
    'The title must be at least 10 characters.',
    'Describe what happened.',
    'Enter the date of the incident.',
    'Choose the area where it happened.',
  ]);
  await chooseLanguage(page, 'id');
  await summary.getByRole('link').first().click();
  await expect(page.locator('#title')).toBeFocused();
  await expect(page).toHaveURL(/\/lapor$/);

  // A date in the future is refused by the same core rule the server uses.
  const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await page.locator('#incident-date').fill(future);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await expect(page.locator('#incident-date-error')).toHaveText('Tanggal tidak boleh di masa depan.');
});

test('errors from the server land beside the fields', async ({ page }) => {
  await openForm(page);
  await fillBasics(page, 'Aspirasi');
  // Another client (or an old app) sends what the server refuses: the real server answers.
  await page.route('**/api/v1/reports', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}');
    body.reporter = { email: 'bukan-email' };
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('.error-summary')).toBeFocused();
  await expect(page.locator('#email-error')).toHaveText('Masukkan alamat email seperti nama@contoh.id.');
  // Nothing typed is lost.
  await expect(page.getByLabel('Judul laporan')).toHaveValue(TITLE);
});

test('a reload mid-form restores the draft, and discarding clears it', async ({ page }) => {
  await openForm(page);
  await fillBasics(page, 'Pengaduan');
  await pickRegion(page, 'Kaliwungu');
  await page.getByLabel('Rahasia').check();
  await page.reload();
  await waitForApp(page);
  await expect(page.getByLabel('Pengaduan', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Judul laporan')).toHaveValue(TITLE);
  await expect(page.getByLabel('Isi laporan')).toHaveValue(BODY);
  await expect(page.locator('#region-hint')).toContainText('Kaliwungu');
  await expect(page.getByLabel('Rahasia')).toBeChecked();
  await page.getByRole('button', { name: 'Buang draf' }).click();
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await page.reload();
  await waitForApp(page);
  await expect(page.getByLabel('Pengaduan', { exact: true })).not.toBeChecked();
  await page.getByLabel('Pengaduan', { exact: true }).check();
  await expect(page.getByLabel('Judul laporan')).toHaveValue('');
  await expect(page.getByLabel('Rahasia')).not.toBeChecked();
});

test('a response lost after the server committed is retried without a duplicate', async ({ page, request }) => {
  const title = `Lampu taman mati ${Date.now()}`;
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  let committed: { tracking_id: string } | undefined;
  await page.route('**/api/v1/reports', async (route) => {
    const response = await route.fetch(); // the server commits the report…
    committed = await response.json();
    await route.abort('connectionreset'); // …but the phone never hears back.
  });
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  // The lost answer looks like a network failure: the report waits in the outbox.
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  expect(committed?.tracking_id).toBeTruthy();
  await page.unroute('**/api/v1/reports');
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  // The same Idempotency-Key brought back the first report instead of making a second.
  await expect(page.locator('#tracking-number')).toHaveText(committed!.tracking_id);
  expect((await reportsTitled(request, title)).map((r) => r.tracking_id)).toEqual([committed!.tracking_id]);
});

test('a report whose answer never comes is given up on after 30 seconds and waits in the outbox', async ({ page, request }) => {
  const title = `Saluran air tersumbat ${Date.now()}`;
  await page.clock.install();
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  // A stalled connection swallows the first try: it is made, and nothing ever comes back.
  let tries = 0;
  await page.route('**/api/v1/reports', async (route) => {
    tries += 1;
    if (tries > 1) await route.continue();
  });
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect.poll(() => tries).toBe(1);
  await page.clock.runFor(29_000);
  expect(tries).toBe(1);
  await expect(page.locator('main h1')).not.toHaveText('Laporan terkirim');
  // Past the deadline the try is a network failure like any other: the report waits in the
  // outbox, which is no longer busy with it, so it leaves at the next try.
  await page.clock.runFor(2_000);
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  await expect(page.locator('.outbox__item')).toContainText(title);
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  expect(tries).toBe(2);
  expect(await reportsTitled(request, title)).toHaveLength(1);
});

test('a photo whose upload stalls is given up on after 30 seconds without progress, and waits', async ({ page }) => {
  await page.clock.install();
  await openForm(page);
  await fillReport(page, 'Aspirasi', `Got mampet ${Date.now()}`, BODY);
  // A stalled connection swallows the upload: it is made, and nothing ever comes back.
  let uploads = 0;
  await page.route('**/api/v1/attachments', () => {
    uploads += 1;
  });
  await attachSmallPng(page, 'got.png');
  const file = page.locator('.file');
  await expect.poll(() => uploads).toBe(1);
  await page.clock.runFor(29_000);
  await expect(file).toContainText('Mengunggah 0%');
  // Past the deadline the upload is a network failure: the photo waits for the report.
  await page.clock.runFor(2_000);
  await expect(file).toContainText('Menunggu koneksi');
  await expect(file).not.toContainText('Mengunggah');
});

/** The report titled `title` waits in the outbox, not created; once `release` lets its sending
 * code through, "Kirim sekarang" creates it, once. */
async function expectWaitingThenSent(page: Page, request: APIRequestContext, title: string, release: () => Promise<void>) {
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  await expect(page.locator('.outbox__item')).toContainText(title);
  expect(await reportsTitled(request, title)).toEqual([]);
  await release();
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim');
  expect(await reportsTitled(request, title)).toHaveLength(1);
}

test('when the sending code cannot be fetched, the report waits in the outbox and leaves later', async ({ page, request }) => {
  // Release builds fetch the sending code (a split-off wasm file) when a report first leaves.
  const title = `Trotoar rusak ${Date.now()}`;
  const sendingCode = /\/outbox_send-[0-9a-f]{16}\.wasm$/;
  await page.route(sendingCode, (route) => route.abort('internetdisconnected'));
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expectWaitingThenSent(page, request, title, () => page.unroute(sendingCode));
});

test('when the sending code stalls, it is given up on and the report waits in the outbox', async ({ page, request }) => {
  const title = `Drainase meluap ${Date.now()}`;
  const sendingCode = /\/outbox_send-[0-9a-f]{16}\.wasm$/;
  // A stalled connection swallows the sending code's file: asked for, never answered.
  let asked = 0;
  await page.route(sendingCode, () => {
    asked += 1;
  });
  await page.clock.install();
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  // The review asked for the file ahead, and sending waits for that try: given up at 30 s.
  await expect.poll(() => asked).toBe(1);
  await page.clock.runFor(31_000);
  // The split loader then runs the waiting send's own try, given up 30 s later in turn.
  await expect.poll(() => asked).toBe(2);
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await page.clock.runFor(31_000);
  // The file counts as missing: the report waits in the outbox, and leaves once the file comes.
  await expectWaitingThenSent(page, request, title, () => page.unroute(sendingCode));
});

test('a photo is downscaled on the device before upload', async ({ page, request }) => {
  await openForm(page);
  await fillBasics(page, 'Pengaduan');
  // A 4000×3000 PNG with fine detail, like a camera photo: several megabytes.
  const png = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 4000;
    canvas.height = 3000;
    const ctx = canvas.getContext('2d')!;
    // Smooth light and colour with sensor-like noise: large as PNG, small as a photo JPEG.
    const image = ctx.createImageData(4000, 3000);
    for (let y = 0, i = 0; y < 3000; y++) {
      for (let x = 0; x < 4000; x++, i += 4) {
        const noise = Math.random() * 12 - 6;
        image.data[i] = 120 + 80 * Math.sin(x / 400) + noise;
        image.data[i + 1] = 110 + 70 * Math.cos(y / 300) + noise;
        image.data[i + 2] = 100 + 60 * Math.sin((x + y) / 500) + noise;
        image.data[i + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
    const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const dataUrl: string = await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.readAsDataURL(blob);
    });
    return dataUrl.split(',')[1];
  });
  const original = Buffer.from(png, 'base64');
  expect(original.length).toBeGreaterThan(5_000_000);
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/attachments') && r.status() === 201);
  await page.locator('#attachments').setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: original });
  const stored = await (await uploaded).json();
  expect(stored.content_type).toBe('image/jpeg');
  expect(stored.filename).toBe('IMG_2041.jpg');
  expect(stored.size).toBeLessThan(600_000);
  await expect(page.locator('.file')).toContainText('IMG_2041.jpg');
  // The stored file is the re-encoded JPEG at most 1600 px on its longest side.
  // Not yet in a report: readable only with the key its upload answer carried.
  const file = await request.get(`/api/v1/attachments/${stored.id}`, { headers: { 'X-Upload-Key': stored.key } });
  const dims = await page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    return [bitmap.width, bitmap.height];
  }, (await file.body()).toString('base64'));
  expect(dims).toEqual([1600, 1200]);

  // A phone photo carries EXIF with its location: the re-encoded upload carries none.
  const jpeg = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 600;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#3a7';
    ctx.fillRect(0, 0, 800, 600);
    const blob: Blob = await new Promise((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.9));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  });
  const tiff = Buffer.concat([Buffer.from('MM\0*\0\0\0\x08\0\0\0\0\0\0', 'binary'), Buffer.from('GPS -6.9232,110.2034 SECRET')]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, 0]), Buffer.from('Exif\0\0', 'binary'), tiff]);
  app1.writeUInt16BE(app1.length - 2, 2);
  const withExif = Buffer.concat([Buffer.from(jpeg.slice(0, 2)), app1, Buffer.from(jpeg.slice(2))]);
  expect(withExif.includes('SECRET')).toBe(true);
  const second = page.waitForResponse((r) => r.url().endsWith('/api/v1/attachments') && r.status() === 201);
  await page.locator('#attachments').setInputFiles({ name: 'IMG_2042.jpg', mimeType: 'image/jpeg', buffer: withExif });
  const secondStored = await (await second).json();
  const secondBytes = await (
    await request.get(`/api/v1/attachments/${secondStored.id}`, { headers: { 'X-Upload-Key': secondStored.key } })
  ).body();
  expect(secondBytes.includes('SECRET')).toBe(false);
  expect(secondBytes.includes('Exif')).toBe(false);

  // A wrong type is refused before any upload.
  await page.locator('#attachments').setInputFiles({ name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
  await expect(page.getByText('virus.exe: jenis berkas tidak diterima')).toBeVisible();
  await expectNoAxeViolations(page);
});

test('preselection from the URL, on a 360×640 phone screen', async ({ page, request }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await openForm(page, '?classification=aspiration&agency=kendal-dinkes&category=kesehatan');
  await expect(page.getByLabel('Aspirasi', { exact: true })).toBeChecked();
  // What happened comes first; the fields after it arrive on the first touch, preset.
  await page.getByLabel('Judul laporan').fill(TITLE);
  await page.getByLabel('Isi laporan').fill(BODY);
  await expect(page.getByLabel('Saya tahu instansinya')).toBeChecked();
  await expect(page.locator('#agency-hint')).toContainText('Dinas Kesehatan Kabupaten Kendal');
  await expect(page.getByLabel('Kategori (opsional)')).toHaveValue('kesehatan');
  await expect(page.getByLabel('Judul laporan')).toHaveValue(TITLE);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(360);
  await page.getByLabel('Anonim').check();
  await expect(page.getByLabel('Nama', { exact: true })).toHaveCount(0);
  const tracking = await reviewAndSend(page);
  await expectNoAxeViolations(page);
  const view = await (await request.get(`/api/v1/reports/${tracking}`)).json();
  expect(view.agency).toBe('Dinas Kesehatan Kabupaten Kendal');
  expect(view.anonymous).toBe(true);
});

/** A problem+json answer, as the reference server gives it. */
function problem(status: number, title: string, extra: Record<string, unknown> = {}) {
  return { status, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title, status, ...extra }) };
}

test('a report refused with 429 waits in the outbox and is created once when the limit clears', async ({ page, request }) => {
  const title = `Sampah menumpuk di pasar ${Date.now()}`;
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  const keys: string[] = [];
  await page.route('**/api/v1/reports', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length <= 2) {
      // The limit of a busy carrier NAT, not a verdict on the report.
      const busy = problem(429, 'Terlalu banyak permintaan');
      await route.fulfill({ ...busy, headers: { 'Retry-After': '1' } });
    } else {
      await route.continue();
    }
  });
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  expect(await reportsTitled(request, title)).toEqual([]);
  // Retry-After: 1 is honoured by itself, without waiting for the half-minute retry.
  await expect(page.locator('main h1')).toHaveText('Laporan terkirim', { timeout: 15_000 });
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(1);
  expect(await reportsTitled(request, title)).toHaveLength(1);
});

test('a report the server rejects in the outbox says what to change, stops, and stays editable', async ({ page }) => {
  const title = `Jembatan retak di desa ${Date.now()}`;
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  await page.route('**/api/v1/reports', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  await page.unroute('**/api/v1/reports');
  // The backend's rules changed meanwhile: it now refuses the report as it is.
  let attempts = 0;
  await page.route('**/api/v1/reports', (route) => {
    attempts++;
    return route.fulfill(
      problem(422, 'Laporan tidak valid', {
        errors: [
          { field: 'title', code: 'too_long', message: 'Paling banyak 20 karakter.' },
          { field: 'reporter.email', code: 'invalid_email', message: 'Masukkan alamat email seperti nama@contoh.id.' },
        ],
      }),
    );
  });
  await page.goto('/laporan-saya');
  await waitForApp(page);
  const item = page.locator('.outbox__item', { hasText: title });
  await expect(item).toContainText('Ubah yang berikut, lalu kirim lagi');
  await expect(item).toContainText('Judul laporan: Paling banyak 20 karakter.');
  await expect(item).toContainText('Email: Masukkan alamat email seperti nama@contoh.id.');
  await expectNoAxeViolations(page);
  // Stopped: "send now" does not send it again.
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await page.waitForTimeout(500);
  expect(attempts).toBe(1);
  // Nothing typed is lost: it goes back into the form.
  await item.getByRole('button', { name: 'Ubah laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Buat laporan');
  await expect(page.getByLabel('Judul laporan')).toHaveValue(title);
  await expect(page.getByLabel('Isi laporan')).toHaveValue(BODY);
});

test('after the retry window the outbox stops by itself, and "try again" sends once with a new key and its photo', async ({ page, request }) => {
  const title = `Drainase mampet ${Date.now()}`;
  await openForm(page);
  await fillReport(page, 'Aspirasi', title, BODY);
  // A photo chosen while uploads fail waits on the device with the report.
  await page.route('**/api/v1/attachments', (route) => route.abort('internetdisconnected'));
  await attachSmallPng(page, 'got.png');
  await expect(page.locator('.file').filter({ hasText: 'got.jpg' })).toContainText('Menunggu koneksi');
  await page.unroute('**/api/v1/attachments');
  // The photo goes up on the first try; the report itself does not.
  await page.route('**/api/v1/reports', (route) => route.abort('internetdisconnected'));
  await page.getByRole('button', { name: 'Lanjut: periksa laporan' }).click();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('main h1')).toHaveText('Laporan disimpan di kotak keluar');
  await page.unroute('**/api/v1/reports');
  // Forty days of failed tries: past the retry window, and past the server's memory of the key
  // and of the upload no report took (the server deletes it: here its id is made unknown).
  const oldKey = await page.evaluate(() => {
    const list = JSON.parse(localStorage.getItem('lapor.outbox') ?? '[]');
    const longAgo = Date.now() - 40 * 86_400_000;
    for (const entry of list) {
      Object.assign(entry, { first_tried_at: longAgo, window_from: longAgo });
      for (const a of entry.draft.attachments) a.id = `deleted-${a.id}`;
      for (const k of entry.draft.kept_uploads ?? []) k.attachment_id = `deleted-${k.attachment_id}`;
    }
    localStorage.setItem('lapor.outbox', JSON.stringify(list));
    return list[0].draft.idempotency_key as string;
  });
  const keys: string[] = [];
  let uploads = 0;
  await page.route('**/api/v1/reports', (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    return route.continue();
  });
  await page.route('**/api/v1/attachments', (route) => {
    uploads += 1;
    return route.continue();
  });
  await page.goto('/laporan-saya');
  await waitForApp(page);
  const item = page.locator('.outbox__item', { hasText: title });
  await expect(item).toContainText('tidak dicoba lagi otomatis');
  await page.getByRole('button', { name: 'Kirim sekarang' }).click();
  await page.waitForTimeout(500);
  expect(keys).toEqual([]);
  await item.getByRole('button', { name: 'Coba kirim lagi' }).click();
  await expect(page.locator('.outbox__item')).toHaveCount(0);
  expect(keys).toHaveLength(1);
  expect(keys[0]).not.toBe(oldKey);
  // The photo, kept on the device, went up again and arrived with the report.
  expect(uploads).toBe(1);
  expect(await reportsTitled(request, title)).toEqual([expect.objectContaining({ attachments: 1 })]);
});

test('the region search is labelled by what it asks; the typing instructions are its description', async ({ page }) => {
  await openForm(page);
  const region = page.locator('#region');
  await page.getByLabel('Pengaduan', { exact: true }).check();
  await expect(page.getByRole('combobox', { name: 'Lokasi kejadian', exact: true })).toHaveAttribute('id', 'region');
  await expect(region).toHaveAccessibleDescription(/^Ketik nama desa, kecamatan, atau kabupaten\/kota/);
  await page.getByLabel('Aspirasi', { exact: true }).check();
  await expect(page.getByRole('combobox', { name: 'Tempat tinggal Anda', exact: true })).toHaveAttribute('id', 'region');
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(page.getByRole('combobox', { name: 'Where you live', exact: true })).toHaveAttribute('id', 'region');
  await page.getByLabel('Complaint', { exact: true }).check();
  await expect(page.getByRole('combobox', { name: 'Where it happened', exact: true })).toHaveAttribute('id', 'region');
  await expect(region).toHaveAccessibleDescription(/^Type a village, district or regency\/city name/);
});

test('offline on a device that cannot keep the report, it stays on the page with why, and is sent once back online', async ({ page, context, request }) => {
  // Storage full or blocked for the outbox.
  await page.addInitScript(() => {
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key: string, value: string) {
      if (key === 'lapor.outbox') throw new DOMException('full', 'QuotaExceededError');
      return real.call(this, key, value);
    };
  });
  const title = `Jembatan retak ${Date.now()}`;
  await openForm(page);
  await sendAspirationOffline(page, context, title, BODY);
  // Never "saved in the outbox" when it was not.
  await expect(page.getByRole('alert').filter({ hasText: 'tidak dapat disimpan di perangkat ini' })).toBeVisible();
  await expect(page.locator('main h1')).toHaveText('Periksa laporan Anda');
  await expect(page.locator('main')).toContainText(title);
  await expectNoAxeViolations(page);

  await setOffline(context, false);
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  await expect(page.locator('#tracking-number')).toBeVisible();
  expect(await reportsTitled(request, title)).toHaveLength(1);
});
