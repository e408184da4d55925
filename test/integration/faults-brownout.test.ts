// A storage brown-out, the way it was found: Azurite frozen with SIGSTOP (connections accepted, nothing answered)
// while every kind of call is made, each one timed, then thawed. Calls that need storage answer 503 with
// Retry-After by their deadline; calls that need none (a key, product and service read before, an unlimited
// product) keep answering; /health answers within its bound. Before the deadlines, all of these hung for as long
// as the freeze lasted. Prints a [faults:brownout] line of answer times.
import { afterAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { call, manage, printFigures, rrs, type Timed } from './helpers/faults.js';
import { csvOf, jobsApi, sampleTexts } from './helpers/bes.js';
import type { RunningChild } from '../../src/local/stack/child.js';
import type { AzuriteInfo } from '../../src/local/stack/azurite.js';

const DEADLINE_MS = 3_000;
const TRY_TIMEOUT_MS = 1_500;
const stack = useStack({
  own: ['azurite'], // frozen with SIGSTOP
  facadeEnv: {
    STORAGE_TRY_TIMEOUT_MS: String(TRY_TIMEOUT_MS),
    STORAGE_DEADLINE_MS: String(DEADLINE_MS),
    // Short caches, so that during the freeze the answers come from the stale-if-error path, not a fresh cache.
    AUTH_CACHE_SECONDS: '1',
    CATALOGUE_CACHE_SECONDS: '1',
    BES_POLL_SCHEDULE: '*/1 * * * * *',
    BES_STATUS_REFRESH_SECONDS: '3600',
  },
});
const api = jobsApi(stack, () => stack().demo.subscriptionKey);
const azurite = () => stack().children.find((c) => c.name === 'azurite') as RunningChild<AzuriteInfo>;
let frozen = false;
afterAll(() => {
  if (frozen) azurite().process.kill('SIGCONT');
});

describe('storage brown-out', () => {
  it('every call answers within its deadline while storage is frozen, and all is well once it thaws', async () => {
    const s = stack();
    // Warm: the demo key (unlimited product) and the service, a limited subscription, a job.
    const limited = (await manage(s, 'POST', 'subscriptions', { name: 'brownout-starter', productId: 'starter' })).json.primaryKey as string;
    expect((await rrs(s)).status).toBe(200);
    expect((await rrs(s, undefined, limited)).status).toBe(200);
    const input = (await api.upload(csvOf(sampleTexts(5)))).json.RelativeLocation;
    const job = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    expect((await call(`${s.facadeUrl}/health`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100)); // the short caches expire: what follows needs storage or its stale copy

    azurite().process.kill('SIGSTOP');
    frozen = true;
    const base = `${s.facadeUrl}/workspaces/${s.demo.workspace}/services/${s.demo.service}`;
    const key = { 'ocp-apim-subscription-key': s.demo.subscriptionKey };
    const calls: Record<string, () => Promise<Timed>> = {
      rrsUnlimited: () => rrs(s),
      rrsLimited: () => rrs(s, undefined, limited),
      besStatus: () => call(`${base}/jobs/${job}?api-version=2.0`, { headers: key }),
      besSubmit: () => call(`${base}/jobs?api-version=2.0`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify({ Inputs: { input1: { RelativeLocation: input } } }) }),
      manageList: () => manage(s, 'GET', 'subscriptions'),
      health: () => call(`${s.facadeUrl}/health`),
    };
    const answers = Object.fromEntries(await Promise.all(Object.entries(calls).map(async ([name, send]) => [name, await send()] as const)));
    const again = await rrs(s); // after the first stale fallback, a cached key serves without waiting on storage
    azurite().process.kill('SIGCONT');
    frozen = false;

    const figures = Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, `${a.status} in ${Math.round(a.ms)} ms`]));
    printFigures('brownout', { deadlineMs: DEADLINE_MS, ...figures, rrsUnlimitedAgain: `${again.status} in ${Math.round(again.ms)} ms` });

    // Needing no storage: answered, from what was read before.
    expect(answers.rrsUnlimited!.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.ms).toBeLessThan(DEADLINE_MS);
    // Needing storage: a 503 with Retry-After, within the deadline (plus the time to answer).
    for (const name of ['rrsLimited', 'besStatus', 'besSubmit', 'manageList'] as const) {
      const a = answers[name]!;
      expect({ name, status: a.status }).toEqual({ name, status: 503 });
      expect(a.headers['retry-after']).toBeTruthy();
      // At most one try timeout for the Table reads (then the breaker answers at once) and one deadline for a blob request.
      expect(a.ms).toBeLessThan(TRY_TIMEOUT_MS + DEADLINE_MS + 1_000);
    }
    // /health answers within its bound: from its cached check (at most 10 s old), or a fresh one bounded at 3 s.
    expect([200, 503]).toContain(answers.health!.status);
    expect(answers.health!.ms).toBeLessThan(4_000);

    // Thawed: everything works again.
    const recovered = async () => {
      for (let i = 0; i < 50; i++) {
        if ((await rrs(s, undefined, limited)).status === 200 && (await manage(s, 'GET', 'subscriptions')).status === 200) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    };
    expect(await recovered()).toBe(true);
    expect((await api.status(job)).status).toBe(200);
  }, 60_000);
});
