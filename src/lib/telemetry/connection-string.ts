// The two Application Insights settings, read as the documented SDKs read them. A connection string is
// `key=value` pairs separated by semicolons (keys case-insensitive, at most 4096 characters): InstrumentationKey
// (required; an identifier, not a secret), IngestionEndpoint (explicit), else EndpointSuffix (→ https://dc.<suffix>),
// else the global endpoint. The authentication string `Authorization=AAD[;ClientId=<guid>]` asks for Entra
// authenticated ingestion (the resource's local auth disabled): a bearer token for https://monitor.azure.com/.default.
import { isLoopbackHost, runningInAzure } from '../platform.js';

export interface IngestionTarget {
  instrumentationKey: string;
  /** `{IngestionEndpoint}/v2.1/track`. */
  trackUrl: string;
}

export interface IngestionAuth {
  /** A user-assigned identity's client id; absent: the app's own identity (AZURE_CLIENT_ID or system-assigned). */
  clientId?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const GLOBAL_INGESTION = 'https://dc.services.visualstudio.com';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The scope Azure Monitor ingestion accepts tokens for. */
export const INGESTION_SCOPE = 'https://monitor.azure.com/.default';

function pairs(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    map.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return map;
}

/** Problems name the part at fault, never echo the text (a connection string is kept out of logs as a habit). */
export function parseConnectionString(text: string, env: NodeJS.ProcessEnv = process.env): Parsed<IngestionTarget> {
  if (text.length > 4096) return { ok: false, problem: 'longer than 4096 characters' };
  const map = pairs(text);
  const instrumentationKey = map.get('instrumentationkey') ?? '';
  if (!GUID.test(instrumentationKey)) return { ok: false, problem: 'InstrumentationKey is missing or not a GUID' };
  const suffix = map.get('endpointsuffix');
  const endpoint = map.get('ingestionendpoint') || (suffix ? `https://dc.${suffix.replace(/^\.+/, '')}` : GLOBAL_INGESTION);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { ok: false, problem: 'IngestionEndpoint is not a URL' };
  }
  if (url.username || url.password || url.search || url.hash) return { ok: false, problem: 'IngestionEndpoint must be a plain URL' };
  // Plain http would carry the bearer token in clear: only a loopback stand-in may use it, and never in Azure.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname) && !runningInAzure(env))) {
    return { ok: false, problem: 'IngestionEndpoint must use https (http only for a loopback stand-in outside Azure)' };
  }
  const base = url.href.replace(/\/+$/, '');
  return { ok: true, value: { instrumentationKey: instrumentationKey.toLowerCase(), trackUrl: `${base}/v2.1/track` } };
}

/** `Authorization=AAD` (optionally `;ClientId=<guid>`), as the Application Insights SDKs and the Functions host read it. */
export function parseAuthenticationString(text: string): Parsed<IngestionAuth> {
  const map = pairs(text);
  if ((map.get('authorization') ?? '').toUpperCase() !== 'AAD') return { ok: false, problem: 'Authorization must be AAD' };
  const clientId = map.get('clientid');
  if (clientId !== undefined && !GUID.test(clientId)) return { ok: false, problem: 'ClientId is not a GUID' };
  return { ok: true, value: clientId ? { clientId } : {} };
}
