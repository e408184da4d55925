// Reachability of what the facade depends on: its storage, Key Vault, and each catalogue backend.
// Each probe is bounded in time, so a hung dependency makes /health say so instead of hanging it.
import { request } from 'undici';
import type { Runtime } from './runtime.js';
import { getTableClient, isNotFound } from './storage/tables.js';
import { TABLES } from './runtime.js';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

const PROBE_TIMEOUT_MS = 3_000;

async function timed(probe: () => Promise<void>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // Error messages of the SDKs name hosts and codes, never keys; still, keep only the first line.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
    return { ok: false, ms: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(rt: Runtime): Promise<Record<string, CheckResult>> {
  const storage = timed(async () => {
    const table = await getTableClient(rt.settings.storageConnectionString, TABLES.catalogue);
    try {
      await table.getEntity('health', 'probe');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  });
  const keyVault = timed(async () => {
    await rt.vault.getSecret(rt.settings.adminKeySecretName);
  });
  const checks: Record<string, Promise<CheckResult>> = { storage, keyVault };
  const entries = await rt.catalogue.list().catch(() => []);
  for (const entry of entries) {
    checks[`backend:${entry.workspace}/${entry.service}`] = timed(async () => {
      // Any HTTP answer proves the backend is reachable; its status is not the point here.
      const res = await request(new URL(entry.backend.baseUrl).origin, { method: 'GET', headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS });
      await res.body.dump();
    });
  }
  const results: Record<string, CheckResult> = {};
  for (const [name, result] of Object.entries(checks)) results[name] = await result;
  return results;
}
