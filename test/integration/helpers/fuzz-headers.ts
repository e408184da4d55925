// Hostile headers and credentials for fuzz cases: odd content types and encodings, forged hosts and addresses,
// subscription or admin keys mostly valid (so calls reach validation), else missing, wrong, doubled or odd.
import fc from 'fast-check';
import { hostileString } from './fuzz.js';
import { enc, type FuzzRequest } from './fuzz-http.js';

/** What a header may carry on the wire (undici refuses the rest): tab, printable ASCII, Latin-1. */
const headerText = hostileString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));
const some = <T>(usual: T, odd: fc.Arbitrary<T>, oddWeight = 1) => fc.oneof({ weight: 10, arbitrary: fc.constant(usual) }, { weight: oddWeight, arbitrary: odd });

const CONTENT_TYPES = ['application/json; charset=utf-16', 'text/plain', 'text/csv', 'application/xml', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz', 'application/octet-stream', '', ';;;', 'application/json; charset=nonsense', '*/*', 'application/json, text/csv'];

/** Content type usually as the operation expects; sometimes any other, a bogus encoding, a forged host or address. */
export function headersOf(contentType: string | undefined): fc.Arbitrary<Record<string, string>> {
  return fc.record({
    'content-type': some<string | undefined>(contentType, fc.oneof(fc.constantFrom(undefined, ...CONTENT_TYPES), headerText), 3),
    'content-encoding': some<string | undefined>(undefined, fc.constantFrom('gzip', 'deflate', 'br', 'gzip, gzip', 'x-nonsense', '')),
    accept: some<string | undefined>(undefined, fc.constantFrom('application/xml', 'text/html', '', '*/*;q=0', 'application/json;q=abc')),
    'x-forwarded-for': some<string | undefined>(undefined, fc.oneof(fc.constantFrom('1.2.3.4', '::1', '[::1]:80', 'unknown', '', 'a,b,,', '1.2.3.4:5:6', `${'9'.repeat(500)}`), headerText)),
    host: some<string | undefined>(undefined, fc.constantFrom('', 'exa mple', 'h:99999', 'a'.repeat(300), 'x/y', 'localhost:0'), 1),
    'x-ms-request-id': some<string | undefined>(undefined, headerText),
  }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

export interface Credentials { headers: Record<string, string | string[]>; query: string }
const none: Credentials = { headers: {}, query: '' };

/** A subscription key in APIM's or the classic client's places: mostly valid, sometimes missing, wrong or odd. */
export function subscriptionKeyOf(key: string): fc.Arbitrary<Credentials> {
  const header = (k: string): Credentials => ({ headers: { 'ocp-apim-subscription-key': k }, query: '' });
  const bearer = (v: string): Credentials => ({ headers: { authorization: v }, query: '' });
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(header(key)) },
    { weight: 3, arbitrary: fc.constant(bearer(`Bearer ${key}`)) },
    { weight: 2, arbitrary: fc.constant({ headers: {}, query: `subscription-key=${enc(key)}` }) },
    { weight: 1, arbitrary: fc.constantFrom(bearer(`bearer ${key}`), bearer(`BEARER\t${key} `), header(`  ${key}  `)) },
    // Several at once: the header wins over the query, which wins over Authorization.
    { weight: 1, arbitrary: fc.constant({ headers: { 'ocp-apim-subscription-key': key, authorization: 'Bearer wrong' }, query: 'subscription-key=wrong' }) },
    { weight: 1, arbitrary: fc.constant({ headers: { 'ocp-apim-subscription-key': 'wrong', authorization: `Bearer ${key}` }, query: '' }) },
    { weight: 1, arbitrary: fc.constantFrom<Credentials>({ headers: { 'ocp-apim-subscription-key': [key, key] }, query: '' }, { headers: { authorization: [`Bearer ${key}`, 'Bearer x'] }, query: '' }) },
    { weight: 1, arbitrary: fc.constantFrom(none, header(''), bearer('Bearer'), bearer('Bearer   '), bearer(`Basic ${Buffer.from(`u:${key}`).toString('base64')}`),
      bearer(`Bearer ${key} ${key}`), bearer(`SharedKey acct:${key}`), bearer('Negotiate abc'), { headers: {}, query: 'subscription-key=%zz' }) },
    { weight: 1, arbitrary: headerText.map((k) => header(k)) },
  );
}

/** The admin key header: mostly valid, sometimes missing, wrong, padded, or a subscription key instead. */
export function adminKeyOf(key: string, subscriptionKey: string): fc.Arbitrary<Credentials> {
  const admin = (k: string): Credentials => ({ headers: { 'x-admin-key': k }, query: '' });
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(admin(key)) },
    { weight: 1, arbitrary: fc.constantFrom(none, admin(''), admin(` ${key} `), admin(key.toUpperCase()), admin(`${key}x`),
      { headers: { authorization: `Bearer ${key}` }, query: '' }, { headers: { 'ocp-apim-subscription-key': subscriptionKey }, query: '' },
      { headers: {}, query: `x-admin-key=${enc(key)}` }) },
    { weight: 1, arbitrary: headerText.map(admin) },
  );
}

/** One request from its generated parts; credentials go last so a content type never hides them. */
export function requestOf(
  method: string,
  parts: { path: fc.Arbitrary<string>; query: fc.Arbitrary<string>; credentials: fc.Arbitrary<Credentials>; headers: fc.Arbitrary<Record<string, string>>; body?: fc.Arbitrary<Buffer> },
): fc.Arbitrary<FuzzRequest> {
  const chunked = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  return fc.record({ path: parts.path, query: parts.query, credentials: parts.credentials, headers: parts.headers, body: parts.body ?? fc.constant(undefined), chunked })
    .map(({ path, query, credentials, headers, body, chunked }) => ({
      method, path, query: [query, credentials.query].filter(Boolean).join('&'), headers: { ...headers, ...credentials.headers }, body, chunked,
    }));
}
