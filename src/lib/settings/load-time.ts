// The settings the Functions host needs while it loads the app, as it reads app settings at startup: the API URL
// suffix in front of every data-plane route, the origins CORS serves, and the poller's schedule. Read by hand, not
// with zod: loading the app stays cheap (cold start). A bad value stops the app from loading, naming the setting.
import { parseAllowedOrigins, type AllowedOrigins } from '../http/cors.js';

export interface LoadTimeSettings {
  /** URL_SUFFIX: path segments in front of every data-plane route, like APIM's "API URL suffix" ('' for none). */
  urlSuffix: string;
  /** CORS_ALLOWED_ORIGINS ("*" or comma-separated origins); undefined = no CORS (Azure's platform CORS may serve instead). */
  corsAllowedOrigins: AllowedOrigins | undefined;
  /** BES_POLL_SCHEDULE: the poller's six-field NCRONTAB schedule. */
  besPollSchedule: string;
}

export const DEFAULT_POLL_SCHEDULE = '*/5 * * * * *';
const URL_SUFFIX = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

export function readLoadTimeSettings(env: NodeJS.ProcessEnv = process.env): LoadTimeSettings {
  const urlSuffix = (env.URL_SUFFIX ?? '').replace(/^\/+|\/+$/g, '');
  if (urlSuffix !== '' && !URL_SUFFIX.test(urlSuffix)) {
    throw new Error('Invalid app settings: URL_SUFFIX must be path segments of letters, digits, ".", "_", "~" and "-"');
  }
  return {
    urlSuffix,
    corsAllowedOrigins: parseAllowedOrigins(env.CORS_ALLOWED_ORIGINS),
    besPollSchedule: env.BES_POLL_SCHEDULE || DEFAULT_POLL_SCHEDULE,
  };
}
