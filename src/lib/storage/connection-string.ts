// The one parser of Azure Storage connection strings. Every string the facade uses or hands on passes here:
// the facade's own settings and the pass-through strings classic clients send. It reads every form those
// clients built (account key with or without EndpointSuffix, BlobEndpoint, SharedAccessSignature,
// UseDevelopmentStorage), and it is strict where a lenient reader would be a hole: a key given twice (in any
// letter case) or a key that is not a storage setting is refused, because SDKs disagree on which one wins (the
// JavaScript SDK reads the first "BlobEndpoint" it finds, .NET the last, case-insensitively). What goes on to a
// backend or an SDK is never the caller's text but the canonical string rebuilt from the parsed parts, so every
// reader sees the one endpoint the facade checked.

export type StorageCredential =
  | { kind: 'key'; accountName: string; accountKey: string }
  | { kind: 'sas'; token: string };

export interface StorageConnection {
  /** Blob service endpoint without a trailing slash, e.g. https://acct.blob.core.windows.net */
  blobEndpoint: string;
  /** host[:port] of the blob endpoint, lower-case (what allow-lists are matched against). */
  blobHost: string;
  /** The account name when known (from AccountName, or the endpoint's first label or path segment). */
  accountName: string | undefined;
  credential: StorageCredential;
}

export type ParseResult = { ok: true; value: StorageConnection } | { ok: false; problem: string };

/** Azurite's documented development account (UseDevelopmentStorage=true). */
const DEVELOPMENT = {
  accountName: 'devstoreaccount1',
  accountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  blobEndpoint: 'http://127.0.0.1:10000/devstoreaccount1',
};

/** The settings a storage connection string may carry, in their canonical spelling. */
const KNOWN_KEYS = [
  'DefaultEndpointsProtocol', 'AccountName', 'AccountKey', 'EndpointSuffix', 'BlobEndpoint', 'SharedAccessSignature',
  'UseDevelopmentStorage', 'QueueEndpoint', 'TableEndpoint', 'FileEndpoint',
] as const;
type Key = (typeof KNOWN_KEYS)[number];
const CANONICAL = new Map<string, Key>(KNOWN_KEYS.map((k) => [k.toLowerCase(), k]));

const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;
const ENDPOINT_SUFFIX = /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LENGTH = 4096;

const fail = (problem: string): ParseResult => ({ ok: false, problem });

function splitPairs(text: string): Map<Key, string> | string {
  const pairs = new Map<Key, string>();
  for (const raw of text.split(';')) {
    const piece = raw.trim();
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) return 'every part must be Name=value';
    const name = piece.slice(0, eq).trim();
    const key = CANONICAL.get(name.toLowerCase());
    // Names are not secret, but keep what is echoed short and plain.
    if (!key) return `"${name.slice(0, 40).replace(/[^\w.-]/g, '?')}" is not a storage connection string setting`;
    if (pairs.has(key)) return `${key} is given more than once`;
    pairs.set(key, piece.slice(eq + 1).trim());
  }
  return pairs;
}

/** An http(s) endpoint without credentials, query or fragment; returned without a trailing slash. */
function endpoint(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash || !url.hostname) return undefined;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The account an endpoint names: the path's first segment (Azurite, path-style) or the host's first label. */
function accountOf(blobEndpoint: string): string | undefined {
  const url = new URL(blobEndpoint);
  const first = url.pathname.split('/').filter(Boolean)[0] ?? url.hostname.split('.')[0];
  return first && ACCOUNT_NAME.test(first) ? first : undefined;
}

function sasToken(value: string): string | undefined {
  const token = value.replace(/^\?/, '');
  if (token === '' || /[\s;#]/.test(token)) return undefined;
  const params = new URLSearchParams(token);
  return params.get('sig') ? token : undefined;
}

export function parseConnectionString(text: string): ParseResult {
  if (typeof text !== 'string' || text.trim() === '') return fail('the connection string is empty');
  if (text.length > MAX_LENGTH) return fail(`the connection string is longer than ${MAX_LENGTH} characters`);
  const pairs = splitPairs(text);
  if (typeof pairs === 'string') return fail(pairs);

  const get = (key: Key) => pairs.get(key);
  if (get('UseDevelopmentStorage') !== undefined) {
    if (get('UseDevelopmentStorage')!.toLowerCase() !== 'true' || pairs.size > 1) return fail('UseDevelopmentStorage=true stands alone');
    return connection(DEVELOPMENT.blobEndpoint, DEVELOPMENT.accountName, { kind: 'key', accountName: DEVELOPMENT.accountName, accountKey: DEVELOPMENT.accountKey });
  }

  const protocol = (get('DefaultEndpointsProtocol') ?? 'https').toLowerCase();
  if (protocol !== 'https' && protocol !== 'http') return fail('DefaultEndpointsProtocol must be https or http');
  const accountName = get('AccountName');
  if (accountName !== undefined && !ACCOUNT_NAME.test(accountName)) return fail('AccountName must be 3-24 lower-case letters and digits');
  const suffix = get('EndpointSuffix') ?? 'core.windows.net';
  if (!ENDPOINT_SUFFIX.test(suffix)) return fail('EndpointSuffix must be a DNS suffix such as core.windows.net');

  let blobEndpoint: string | undefined;
  if (get('BlobEndpoint') !== undefined) {
    blobEndpoint = endpoint(get('BlobEndpoint')!);
    if (!blobEndpoint) return fail('BlobEndpoint must be an http(s) URL without a query');
  } else if (accountName) {
    blobEndpoint = `${protocol}://${accountName}.blob.${suffix.toLowerCase()}`;
  } else {
    return fail('AccountName or BlobEndpoint is required');
  }

  const accountKey = get('AccountKey');
  const sas = get('SharedAccessSignature');
  if (accountKey !== undefined && sas !== undefined) return fail('give AccountKey or SharedAccessSignature, not both');
  if (accountKey !== undefined) {
    if (!accountName) return fail('AccountKey needs AccountName');
    if (!BASE64.test(accountKey)) return fail('AccountKey must be base64');
    return connection(blobEndpoint, accountName, { kind: 'key', accountName, accountKey });
  }
  if (sas !== undefined) {
    const token = sasToken(sas);
    if (!token) return fail('SharedAccessSignature must be a SAS token (with sig=)');
    return connection(blobEndpoint, accountName ?? accountOf(blobEndpoint), { kind: 'sas', token });
  }
  return fail('AccountKey or SharedAccessSignature is required');
}

function connection(blobEndpoint: string, accountName: string | undefined, credential: StorageCredential): ParseResult {
  return { ok: true, value: { blobEndpoint, blobHost: new URL(blobEndpoint).host.toLowerCase(), accountName, credential } };
}

/** The string handed to SDKs and backends: explicit BlobEndpoint, one credential, nothing else to disagree on. */
export function canonicalConnectionString(c: StorageConnection): string {
  if (c.credential.kind === 'key') {
    const protocol = new URL(c.blobEndpoint).protocol.replace(':', '');
    return `DefaultEndpointsProtocol=${protocol};AccountName=${c.credential.accountName};AccountKey=${c.credential.accountKey};BlobEndpoint=${c.blobEndpoint}`;
  }
  return `BlobEndpoint=${c.blobEndpoint};SharedAccessSignature=${c.credential.token}`;
}

/** For the facade's own settings: parsed or an Error naming the setting (never its value). */
export function requireConnectionString(text: string, setting: string): StorageConnection {
  const parsed = parseConnectionString(text);
  if (!parsed.ok) throw new Error(`${setting} is not a usable storage connection string: ${parsed.problem}`);
  return parsed.value;
}
