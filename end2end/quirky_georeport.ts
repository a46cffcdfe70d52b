// A GeoReport v2 server with the quirks of real third-party implementations, for the Open311
// end-to-end tests (`tests/open311-quirks.spec.ts`). Each test starts its own on a free
// loopback port and tells it how to behave (`quirks`); `routeThrough` sends the app's Open311
// calls to it, so the app is configured exactly as a regional web team would configure it.
//
// What it can do, each seen in public implementations:
// - POST answers: 201 or 200; the spec's list, or a bare object; an id (number or string),
//   only a token (then `tokens/{token}.json` gives the id), or both.
// - Location: reads `address_string`, or only `address` (then, like a Django implementation,
//   a request with neither coordinates nor an `address` is a 500 with an HTML page); a service
//   may say `coords_or_address: true` in the service list.
// - `services.json` localised only by the `locale` query parameter; a service with
//   `metadata: true` whose definition does not exist (404).
// - `requests/{id}.json` as a list or a bare object; 404 as JSON or HTML.
// - An api_key required on reads too.
// - A fixed answer to every POST (an error in any shape, or a 500 page), to test messages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';

export interface Quirks {
  postStatus: 200 | 201;
  postAnswer: 'spec-list' | 'bare-string-id' | 'token-only' | 'token-and-id';
  /** Which location field the server reads besides `lat`/`long`. */
  addressField: 'address_string' | 'address';
  /** Service names follow only `?locale=`, never `Accept-Language`. */
  localeByQuery: boolean;
  /** `services/{code}.json` is a 404 even for services with `metadata: true`. */
  definitionMissing: boolean;
  requestShape: 'list' | 'bare';
  notFound: 'json' | 'html';
  /** Reads need the api_key too (a 403 in the spec's shape without it). */
  apiKeyOnGet: boolean;
  /** Every POST gets this answer instead. */
  failPost: { status: number; body: string; contentType: string } | null;
  /** The street-light service's pole number must be answered. */
  poleRequired: boolean;
}

/** The api_key `routeThrough` configures the app with. */
export const API_KEY = 'kunci-uji';

export const DJANGO_500 =
  '<!doctype html>\n<html lang="en"><head><title>Server Error (500)</title></head>' +
  '<body><h1>Server Error (500)</h1><p></p></body></html>';

interface Stored {
  id: string;
  token: string;
  service_code: string;
  description: string;
  address: string | null;
  requested: string;
}

export interface QuirkyServer {
  url: string;
  quirks: Quirks;
  /** Every POST body received, in order. */
  posts: URLSearchParams[];
  close(): Promise<void>;
  /** Set once `close` was called: a request still on its way then has nobody to answer. */
  closed?: boolean;
}

const SERVICES = (locale: string) => [
  {
    service_code: 'lampu',
    service_name: locale === 'en' ? 'Broken street light' : 'Lampu jalan mati',
    description: null,
    metadata: true,
    type: 'realtime',
    keywords: '',
    group: locale === 'en' ? 'Streets' : 'Jalan',
  },
  {
    service_code: 'taman',
    service_name: locale === 'en' ? 'Parks' : 'Taman kota',
    metadata: false,
    type: 'realtime',
    group: locale === 'en' ? 'Streets' : 'Jalan',
    coords_or_address: true,
  },
];

const DEFINITION = (poleRequired: boolean) => ({
  service_code: 'lampu',
  attributes: [
    {
      variable: true,
      code: 'pole',
      datatype: 'string',
      required: poleRequired,
      datatype_description: null,
      order: 1,
      description: 'Nomor tiang (bila terlihat)',
    },
  ],
});

export async function startQuirkyGeoReport(quirks: Partial<Quirks> = {}): Promise<QuirkyServer> {
  const state: QuirkyServer = {
    url: '',
    quirks: {
      postStatus: 201,
      postAnswer: 'spec-list',
      // By default the server of issue 16: a Django implementation that ignores the spec's
      // `address_string`.
      addressField: 'address',
      localeByQuery: false,
      definitionMissing: false,
      requestShape: 'list',
      notFound: 'json',
      apiKeyOnGet: false,
      failPost: null,
      poleRequired: false,
      ...quirks,
    },
    posts: [],
    close: async () => {},
  };
  const stored: Stored[] = [];
  let next = 5001;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://quirky');
    const q = state.quirks;
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const notFound = () =>
      q.notFound === 'html'
        ? send(404, '<html><body><h1>Not Found</h1></body></html>', 'text/html')
        : send(404, [{ code: 404, description: 'Service request not found' }]);
    const view = (r: Stored) => ({
      service_request_id: q.requestShape === 'bare' ? r.id : Number(r.id),
      status: 'open',
      status_notes: null,
      service_name: SERVICES('id').find((s) => s.service_code === r.service_code)?.service_name,
      service_code: r.service_code,
      description: r.description,
      requested_datetime: r.requested,
      updated_datetime: r.requested,
      expected_datetime: null,
      address: r.address,
    });
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (req.method === 'GET' && q.apiKeyOnGet && url.searchParams.get('api_key') !== API_KEY) {
      return send(403, [{ code: 403, description: 'api_key required' }]);
    }
    if (req.method === 'GET' && path === '/services.json') {
      const locale = q.localeByQuery ? (url.searchParams.get('locale') ?? 'id') : 'id';
      return send(200, SERVICES(locale));
    }
    if (req.method === 'GET' && (m = path.match(/^\/services\/([^/]+)\.json$/))) {
      if (q.definitionMissing || m[1] !== 'lampu') return notFound();
      return send(200, DEFINITION(q.poleRequired));
    }
    if (req.method === 'GET' && (m = path.match(/^\/tokens\/([^/]+)\.json$/))) {
      const r = stored.find((s) => s.token === decodeURIComponent(m![1]));
      return r ? send(200, [{ service_request_id: r.id, token: r.token }]) : notFound();
    }
    if (req.method === 'GET' && (m = path.match(/^\/requests\/([^/]+)\.json$/))) {
      const r = stored.find((s) => s.id === decodeURIComponent(m![1]));
      if (!r) return notFound();
      return send(200, q.requestShape === 'bare' ? view(r) : [view(r)]);
    }
    if (req.method === 'POST' && path === '/requests.json') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        state.posts.push(form);
        if (q.failPost) return send(q.failPost.status, q.failPost.body, q.failPost.contentType);
        const address = form.get(q.addressField);
        const hasCoords = form.get('lat') && form.get('long');
        // A Django implementation: no coordinates and no `address` is an unhandled error.
        if (!hasCoords && !address) return send(500, DJANGO_500, 'text/html');
        const r: Stored = {
          id: String(next++),
          token: `tok-${next}`,
          service_code: form.get('service_code') ?? '',
          description: form.get('description') ?? '',
          address,
          requested: new Date().toISOString(),
        };
        stored.push(r);
        const answer =
          q.postAnswer === 'token-only'
            ? { token: r.token }
            : q.postAnswer === 'token-and-id'
              ? { service_request_id: Number(r.id), token: r.token }
              : q.postAnswer === 'bare-string-id'
                ? { service_request_id: r.id, service_notice: null }
                : { service_request_id: Number(r.id), service_notice: 'Terima kasih', account_id: null };
        return send(q.postStatus, q.postAnswer === 'bare-string-id' ? answer : [answer]);
      });
      return;
    }
    notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => {
    state.closed = true;
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return state;
}

/** Configures the app for the Open311 dialect at `quirky/v2` (same origin, so the CSP's
 * `connect-src 'self'` holds) and forwards those calls to `server`. */
export async function routeThrough(page: Page, server: QuirkyServer) {
  await page.route('**/config.json', (route) =>
    route.fulfill({ json: { api_base: 'quirky/v2', dialect: 'open311', open311: { api_key: API_KEY } } }),
  );
  await page.route('**/quirky/v2/**', async (route) => {
    const url = new URL(route.request().url());
    const target = server.url + url.pathname.replace(/^.*\/quirky\/v2/, '') + url.search;
    // A request the page has let go of meanwhile (a navigation, a closed test), or one still
    // on its way when the test's server was closed, has nobody to answer: that is not an
    // error of the portal's.
    try {
      const response = await route.fetch({ url: target });
      await route.fulfill({ response });
    } catch (error) {
      if (server.closed) return;
      if (!String(error).includes('disposed') && !String(error).includes('closed')) throw error;
    }
  });
}
