// Key Vault down, with the real stand-in process stopped and started again: the cached backend key keeps RRS
// serving for the grace period (TTL 1 s + grace 4 s here), then calls get a clear 503; once the stand-in is back
// on the same port (same signing key, so the facade's cached token still holds) calls succeed again.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { expectClassicError, call, manage, printFigures, registerService, rrs, type Timed } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { listeningLine, startChild } from '../../src/local/stack/child.js';
import { compiledEntry, findProjectRoot } from '../../src/local/stack/project.js';

const vaultEnv = { KEYVAULT_SIGNING_KEY: randomBytes(32).toString('base64url'), KEYVAULT_IDENTITY_HEADER: randomBytes(24).toString('base64url') };
const stack = useStack({ facadeEnv: { SECRET_CACHE_TTL_SECONDS: '1', SECRET_GRACE_SECONDS: '4' }, keyVaultEnv: vaultEnv });
const GRACE_END_MS = 1_000 + 4_000;
const figures: Record<string, unknown> = { faultsInjected: 0 };
let lastOk = { start: 0, end: 0 };

describe('Key Vault down', () => {
  it('warms the cache: RRS and the management API answer', async () => {
    await registerService(stack(), 'kv-cold', stack().backend.url, 5_000, 'kv-cold-key'); // a secret never read yet
    expect((await manage(stack(), 'GET', 'subscriptions')).status).toBe(200);
    const start = Date.now();
    expect((await rrs(stack())).status).toBe(200);
    lastOk = { start, end: Date.now() };
  });

  it('keeps serving from the cached key through the grace period, then answers 503 ServiceUnavailable', async () => {
    const vault = stack().children.find((c) => c.name === 'keyvault')!;
    await vault.stop();
    figures.faultsInjected = 1;
    const seen: { at: number; end: number; answer: Timed }[] = [];
    // Every 100 ms until well past the latest possible end of the grace period.
    while (Date.now() < lastOk.end + GRACE_END_MS + 1_000) {
      const at = Date.now();
      const answer = await rrs(stack());
      seen.push({ at, end: Date.now(), answer });
      await new Promise((r) => setTimeout(r, 100));
    }
    const statuses = new Set(seen.map((s) => s.answer.status));
    expect([...statuses].every((s) => s === 200 || s === 503)).toBe(true);
    // Fetched at most one TTL before the last good call started: the grace lasts at least until start + 4 s.
    for (const s of seen.filter((x) => x.end < lastOk.start + GRACE_END_MS - 1_000 - 200)) expect(s.answer.status).toBe(200);
    for (const s of seen.filter((x) => x.at > lastOk.end + GRACE_END_MS + 200)) expectClassicError(s.answer, 503, 'ServiceUnavailable');
    const first503 = seen.find((s) => s.answer.status === 503)!;
    expect(first503.answer.json.error.message).toContain('Key Vault');
    const inGrace = seen.filter((s) => s.answer.status === 200);
    figures.servedInGrace = inGrace.length;
    figures.first503AfterLastGoodCallMs = first503.at - lastOk.end;
    figures.maxLatencyInGraceMs = Math.round(Math.max(...inGrace.map((s) => s.answer.ms)));
    figures.maxLatencyOf503Ms = Math.round(Math.max(...seen.filter((s) => s.answer.status === 503).map((s) => s.answer.ms)));
    expect(figures.maxLatencyInGraceMs).toBeLessThan(3_000);

    // Past the grace: the management API, a never-cached secret and /health say so too, clearly.
    expectClassicError(await manage(stack(), 'GET', 'subscriptions'), 503, 'ServiceUnavailable');
    expectClassicError(await rrs(stack(), 'kv-cold'), 503, 'ServiceUnavailable');
    const health = await call(`${stack().facadeUrl}/health`);
    expect(health.status).toBe(503);
    expect(health.json.status).toBe('unhealthy');
    expect(health.text).not.toMatch(/keyVault|storage|vault\./i); // anonymous: no internals named
  }, 30_000);

  it('serves again once the stand-in is back on the same port with the same secrets', async () => {
    const s = stack();
    const secrets = { [s.backend.secretName]: s.backend.apiKey, [s.facadeSettings.ADMIN_KEY_SECRET_NAME!]: s.adminKey, 'kv-cold-key': s.backend.apiKey };
    const restarted = await startChild<{ url: string }>({
      name: 'keyvault',
      script: compiledEntry(findProjectRoot(), 'local/keyvault-main'),
      env: { ...process.env, ...vaultEnv, KEYVAULT_PORT: new URL(s.keyVault.url).port, KEYVAULT_SECRETS_JSON: JSON.stringify(secrets) },
      ready: listeningLine,
    });
    s.children.push(restarted);
    expect(restarted.info.url).toBe(s.keyVault.url);
    // A secret whose read failed is not asked for again for 5 s (no hammering a dead vault): poll, with a deadline.
    const back = Date.now();
    const ok = (probe: () => Promise<Timed>) => async () => ((await probe()).status === 200 ? Date.now() - back : undefined);
    figures.recoveryAfterRestartMs = {
      rrs: await waitFor('RRS to answer 200 again', ok(() => rrs(s)), 15_000, 100),
      manage: await waitFor('the management API to answer 200 again', ok(() => manage(s, 'GET', 'subscriptions')), 15_000, 100),
      coldSecret: await waitFor('a never-cached secret to be read', ok(() => rrs(s, 'kv-cold')), 15_000, 100),
    };
    expect((await call(`${s.facadeUrl}/health`)).status).toBe(200);
    printFigures('keyvault', figures);
  }, 30_000);
});
