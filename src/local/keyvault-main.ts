// Process entry for the Key Vault stand-in (used by the local stack). Prints one JSON line with the URLs the app
// needs; secret values never reach stdout or stderr.
//   KEYVAULT_PORT          port on 127.0.0.1 (default 0: any free port)
//   KEYVAULT_SECRETS_JSON  optional initial secrets, e.g. {"backend-key":"...","admin-key":"..."}
//   KEYVAULT_SIGNING_KEY, KEYVAULT_IDENTITY_HEADER  optional fixed token-signing key (≥ 32 characters) and identity
//                          header, so a restarted stand-in accepts the tokens its predecessor issued (default: random)
//   KEYVAULT_TOKEN_TTL_SECONDS  lifetime of the tokens the identity endpoint issues (for https://vault.azure.net and
//                          https://ml.azure.com), a whole number from 1 to 86400 (default 3600)

import { closeOnSignal, portSetting } from './env.js';
import { startKeyVaultStandIn } from './keyvault-standin.js';

function ttlSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(seconds) || seconds < 1 || seconds > 86400) {
    throw new Error(`${name} must be a whole number of seconds from 1 to 86400, got "${text.slice(0, 20)}"`);
  }
  return seconds;
}

function parseSecrets(text: string | undefined): Record<string, string> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('KEYVAULT_SECRETS_JSON is not valid JSON'); // the parser's message could quote a value
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('KEYVAULT_SECRETS_JSON must be a JSON object of name -> string value');
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new Error(`KEYVAULT_SECRETS_JSON: secret '${name}' must be a string`);
    out[name] = value;
  }
  return out;
}

async function main(): Promise<void> {
  const port = portSetting(process.env, 'KEYVAULT_PORT', 0);
  const secrets = parseSecrets(process.env.KEYVAULT_SECRETS_JSON);
  const signingKey = process.env.KEYVAULT_SIGNING_KEY || undefined;
  if (signingKey !== undefined && signingKey.length < 32) throw new Error('KEYVAULT_SIGNING_KEY must be at least 32 characters');
  const identityHeader = process.env.KEYVAULT_IDENTITY_HEADER || undefined;
  const tokenTtlSeconds = ttlSetting(process.env, 'KEYVAULT_TOKEN_TTL_SECONDS', 3600);
  const kv = await startKeyVaultStandIn({ port, secrets, signingKey, identityHeader, tokenTtlSeconds });
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', url: kv.url, identityEndpoint: kv.identityEndpoint, identityHeader: kv.identityHeader })}\n`,
  );
  closeOnSignal(() => kv.close());
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ event: 'error', message: err instanceof Error ? err.message : 'startup failed' })}\n`);
  process.exit(1);
});
