import { test, expect, type Page } from '@playwright/test';
import { adminEvent, chooseLanguage, createReport, expectNoAxeViolations, waitForApp } from './helpers';

// A route handler still fetching when a test ends (the app refreshes in the background) is
// no failure of the test, nor of the next one.
test.afterEach(async ({ page }) => page.unrouteAll({ behavior: 'ignoreErrors' }));

async function track(page: Page, typed: string) {
  await page.goto('/lacak');
  await waitForApp(page);
  await page.getByLabel('Nomor pelacakan').fill(typed);
  await page.getByRole('button', { name: 'Lacak', exact: true }).click();
}

async function refresh(page: Page) {
  await page.getByRole('button', { name: 'Muat ulang' }).click();
}

test('a report is followed through its lifecycle from a messily typed number', async ({ page, request }) => {
  const report = await createReport(request);
  // Lower case, spaces instead of dashes, and the letter O for every zero.
  const messy = report.tracking_id.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
  await track(page, `  ${messy} `);
  await expect(page).toHaveURL(new RegExp(`/lacak/${report.tracking_id}$`));
  await expect(page.locator('.badge')).toHaveText('Diterima');
  await expect(page.locator('.progress__step--current')).toContainText('Diterima');
  await expect(page.locator('#due')).toContainText('hari kerja');

  const steps = [
    { status: 'verified', label: 'Terverifikasi', message: 'Laporan sudah diverifikasi.' },
    { status: 'forwarded', label: 'Diteruskan', message: 'Diteruskan ke DPUPR.', agency_id: 'kendal-dpupr' },
    { status: 'in_progress', label: 'Diproses', message: 'Tim dijadwalkan Senin.' },
    { status: 'resolved', label: 'Selesai', message: 'Lubang sudah ditambal.' },
  ];
  for (const step of steps) {
    await adminEvent(request, report.tracking_id, step);
    await refresh(page);
    await expect(page.locator('.badge')).toHaveText(step.label);
    await expect(page.locator('.timeline li').first()).toContainText(step.message);
  }
  await expect(page.locator('.progress__step--done')).toHaveCount(5);
  await expect(page.locator('dl.summary')).toContainText('Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Kendal');
  // Oldest first puts the submission on top.
  await page.getByRole('button', { name: 'Terlama dahulu' }).click();
  await expect(page.locator('.timeline li').first()).toContainText('Diterima');
  await expectNoAxeViolations(page);
  await chooseLanguage(page, 'en');
  await expect(page.locator('.badge')).toHaveText('Resolved');
  await expectNoAxeViolations(page);
});

test('a confidential report is hidden without the access code and shown with it', async ({ browser, request }) => {
  const report = await createReport(request, { confidential: true, title: 'Pungutan liar di kantor kelurahan' });
  // Another phone: nothing of this report is stored there.
  const context = await browser.newContext({ locale: 'id-ID' });
  const page = await context.newPage();
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.locator('.badge')).toHaveText('Diterima');
  await expect(page.getByText('Laporan ini rahasia')).toBeVisible();
  await expect(page.getByText('Pungutan liar')).toHaveCount(0);

  await page.getByLabel('Kode akses').fill('AAAAA-AAAAA');
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
  await expect(page.locator('#access-code-error')).toHaveText('Kode akses salah. Periksa lagi kode yang Anda simpan.');

  await page.getByLabel('Kode akses').fill(report.access_code.toLowerCase());
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
  await expect(page.locator('.report-title')).toHaveText('Pungutan liar di kantor kelurahan');
  await expectNoAxeViolations(page);
  await context.close();
});

test('a reply and a rating round-trip with the access code', async ({ page, request }) => {
  const report = await createReport(request);
  await adminEvent(request, report.tracking_id, { status: 'verified', message: 'Mohon kirim foto lokasi.' });
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await page.getByLabel('Kode akses').fill(report.access_code);
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
  await page.getByLabel('Balasan Anda').fill('Lokasinya di sisi timur pasar, dekat tiang listrik.');
  await page.getByRole('button', { name: 'Kirim balasan' }).click();
  await expect(page.locator('.timeline li').first()).toContainText('Balasan pelapor');
  await expect(page.locator('.timeline li').first()).toContainText('dekat tiang listrik');
  await expect(page.locator('.rating-form')).toHaveCount(0);

  await adminEvent(request, report.tracking_id, { status: 'resolved', message: 'Sudah diperbaiki.' });
  await refresh(page);
  await page.getByLabel('4 bintang').check();
  await page.getByLabel('Komentar (opsional)').fill('Cepat, terima kasih.');
  await expectNoAxeViolations(page);
  await page.getByRole('button', { name: 'Kirim penilaian' }).click();
  await expect(page.locator('#rating-done')).toHaveText('Anda memberi 4 dari 5 bintang. Terima kasih.');
  const view = await (await request.get(`/api/v1/reports/${report.tracking_id}`)).json();
  expect(view.rating).toBe(4);
  expect(view.events.filter((e: { kind: string }) => e.kind === 'reply')).toHaveLength(1);
});

test('after the reply window the form is gone and says why, as the server would refuse', async ({ page, request }) => {
  const report = await createReport(request);
  await adminEvent(request, report.tracking_id, { status: 'verified', message: 'Mohon kirim foto lokasi.' });
  // Forty days on: the ten working days after the response are long past.
  await page.clock.setFixedTime(new Date(Date.now() + 40 * 24 * 3600 * 1000));
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await page.getByLabel('Kode akses').fill(report.access_code);
  await page.getByRole('button', { name: 'Buka dengan kode' }).click();
  await expect(page.locator('#reply-closed')).toHaveText(
    'Balasan hanya dapat dikirim 10 hari kerja setelah tindak lanjut terakhir instansi.',
  );
  await expect(page.getByLabel('Balasan Anda')).toHaveCount(0);
  await expectNoAxeViolations(page);
});

test('HTML in an agency message is shown as inert text, links made safe', async ({ page, request }) => {
  const report = await createReport(request);
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>\nBaca https://kendalkab.go.id/info.';
  await adminEvent(request, report.tracking_id, { status: 'verified', message: payload });
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  const message = page.locator('.timeline__message').first();
  await expect(message).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(message).toContainText('<script>');
  await expect(message.locator('img, script')).toHaveCount(0);
  const link = message.getByRole('link');
  await expect(link).toHaveAttribute('href', 'https://kendalkab.go.id/info');
  await expect(link).toHaveAttribute('rel', /noopener/);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('my reports lists what this device sent or looked up, and forgets on request', async ({ page, request }) => {
  const report = await createReport(request);
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.locator('.badge')).toHaveText('Diterima');
  await page.getByRole('link', { name: 'Laporan saya' }).click();
  const item = page.locator('.my-report', { hasText: report.tracking_id });
  await expect(item).toContainText('Diterima');
  await adminEvent(request, report.tracking_id, { status: 'verified' });
  await page.getByRole('button', { name: 'Perbarui status' }).click();
  await expect(item).toContainText('Terverifikasi');
  await expectNoAxeViolations(page);
  await item.getByRole('button', { name: /Hapus dari perangkat/ }).click();
  await expect(page.locator('.my-report', { hasText: report.tracking_id })).toHaveCount(0);
});

test('statuses from other backends show their raw label in a neutral style', async ({ page, request }) => {
  const report = await createReport(request);
  await page.route(`**/api/v1/reports/${report.tracking_id.replace(/-/g, '')}`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.status = 'menunggu_dokumen';
    await route.fulfill({ response, json: body });
  });
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.locator('.badge')).toHaveText('menunggu_dokumen');
  await expect(page.locator('.badge')).toHaveClass(/badge--unknown/);
});

test.describe('in Papua, on Eastern Indonesia Time', () => {
  test.use({ timezoneId: 'Asia/Jayapura' });

  test('a network failure says so, offers a retry, and keeps the last view readable', async ({ page, request }) => {
    const report = await createReport(request);
    const before = new Date();
    await page.goto(`/lacak/${report.tracking_id}`);
    await waitForApp(page);
    await expect(page.locator('.badge')).toHaveText('Diterima');
    const after = new Date();
    await page.route('**/api/v1/reports/**', (route) => route.abort('internetdisconnected'));
    await page.reload();
    await waitForApp(page);
    await expect(page.getByRole('alert')).toContainText('Tidak ada sambungan');
    // When the kept view was fetched, in the device's time (WIT, UTC+9) and in Indonesian.
    const wit = (at: Date) => {
      const local = new Date(at.getTime() + 9 * 3600 * 1000);
      const months = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
      const days = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
      const two = (n: number) => String(n).padStart(2, '0');
      return `${days[local.getUTCDay()]}, ${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()}, ${two(local.getUTCHours())}.${two(local.getUTCMinutes())}`;
    };
    const notice = page.getByText('Ini tampilan terakhir yang tersimpan');
    await expect(notice).toBeVisible();
    expect([wit(before), wit(after)].map((time) => `Tidak ada sambungan. Ini tampilan terakhir yang tersimpan, dari ${time}.`)).toContain(await notice.textContent());
    await expect(page.locator('.badge')).toHaveText('Diterima');
    await page.unroute('**/api/v1/reports/**');
    await page.getByRole('button', { name: 'Coba lagi' }).click();
    await expect(page.getByText('Ini tampilan terakhir yang tersimpan')).toHaveCount(0);
    await expect(page.locator('.badge')).toHaveText('Diterima');
  });
});

test('a report whose answer never comes is given up on after 30 seconds, with a retry', async ({ page, request }) => {
  const report = await createReport(request);
  await page.clock.install();
  // A stalled connection: the request is made, and nothing ever comes back.
  await page.route('**/api/v1/reports/**', () => {});
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.getByRole('status').filter({ hasText: 'Memuat' })).toBeVisible();
  await page.clock.runFor(29_000);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.clock.runFor(2_000);
  await expect(page.getByRole('alert')).toContainText('Tidak ada sambungan');
  await page.unroute('**/api/v1/reports/**');
  await page.getByRole('button', { name: 'Coba lagi' }).click();
  await expect(page.locator('.badge')).toHaveText('Diterima');
});

test('working days left follow the instance calendar across the 2026 Lebaran holidays', async ({ page, request }) => {
  const report = await createReport(request);
  // Tuesday 17 March 2026 in Jakarta, with a report due Friday 27 March: 18–24 March are
  // Nyepi, Idul Fitri, cuti bersama and a weekend, so only 25, 26 and 27 March count.
  await page.clock.setFixedTime(new Date('2026-03-17T03:00:00Z'));
  await page.route(`**/api/v1/reports/${report.tracking_id.replace(/-/g, '')}`, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.due_date = '2026-03-27';
    body.submitted_at = '2026-03-17T02:00:00Z';
    await route.fulfill({ response, json: body });
  });
  await page.goto(`/lacak/${report.tracking_id}`);
  await waitForApp(page);
  await expect(page.locator('#due')).toContainText('Jumat, 27 Maret 2026 (3 hari kerja lagi)');
  // On Monday 6 April the same report is overdue by 5 working days (3 April is Good Friday).
  await page.clock.setFixedTime(new Date('2026-04-06T03:00:00Z'));
  await page.reload();
  await waitForApp(page);
  await expect(page.locator('#due')).toContainText('terlambat 5 hari kerja');
});
