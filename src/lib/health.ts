// Health, in two answers. Anonymous GET /health is a cheap liveness answer naming nothing inside: whether this
// instance can serve (its storage and Key Vault answer), checked at most once per LIVENESS_CACHE_MS however often it
// is asked, so it cannot be used to make the facade hammer its dependencies. GET /manage/health (admin key) is the
// detailed report: storage, Key Vault and every catalogued backend, each probe bounded, the whole report bounded
// too. A dead backend degrades that backend (status "degraded", still 200), not the gateway; storage or Key Vault
// down is "unhealthy" (503).
import type { CatalogueEntry } from './catalogue/entry.js';
import { isNotFound } from './storage/errors.js';
import { forEachLimited } from './concurrency.js';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface HealthDeps {
  /** A point read in the facade's storage. */
  readStorage(): Promise<void>;
  /** A read of the admin key's secret in Key Vault. */
  readKeyVault(): Promise<void>;
  listCatalogue(): Promise<CatalogueEntry[]>;
  /** The entry's backend, probed as its kind tells (any answer, or a model's readiness). */
  probeBackend(entry: CatalogueEntry, timeoutMs: number): Promise<void>;
}

export const PROBE_TIMEOUT_MS = 3_000;
const LIVENESS_CACHE_MS = 10_000;
/** An unhealthy answer is kept for less, so recovery shows soon; still at most one probe per 2 s per instance. */
const UNHEALTHY_CACHE_MS = 2_000;
const BACKEND_PROBES_AT_ONCE = 8;

async function timed(probe: () => Promise<void>, timeoutMs = PROBE_TIMEOUT_MS): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
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

/** A storage point read that may find nothing (the probe row never exists): only an answer matters. */
export async function probeTable(getEntity: (pk: string, rk: string) => Promise<unknown>): Promise<void> {
  try {
    await getEntity('health', 'probe');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function core(deps: HealthDeps): Promise<{ storage: CheckResult; keyVault: CheckResult }> {
  const [storage, keyVault] = await Promise.all([timed(deps.readStorage), timed(deps.readKeyVault)]);
  return { storage, keyVault };
}

export type Liveness = { healthy: boolean; checkedAt: number };

/** The anonymous answer: computed at most once per LIVENESS_CACHE_MS per instance, shared by concurrent askers. */
export function livenessCheck(deps: HealthDeps, now: () => number = Date.now): () => Promise<Liveness> {
  let last: Promise<Liveness> | undefined;
  let validUntil = -Infinity;
  return () => {
    if (!last || now() >= validUntil) {
      const at = now();
      validUntil = at + LIVENESS_CACHE_MS; // while the probe runs, askers share it
      last = core(deps).then(({ storage, keyVault }) => {
        const healthy = storage.ok && keyVault.ok;
        if (!healthy) validUntil = at + UNHEALTHY_CACHE_MS;
        return { healthy, checkedAt: at };
      });
    }
    return last;
  };
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  checks: Record<string, CheckResult>;
}

/** The admin's report: every dependency, each probe and the catalogue read bounded, backends a few at a time. */
export async function healthReport(deps: HealthDeps): Promise<HealthReport> {
  let entries: CatalogueEntry[] = [];
  const [{ storage, keyVault }, catalogue] = await Promise.all([
    core(deps),
    timed(async () => {
      entries = await deps.listCatalogue();
    }),
  ]);
  const checks: Record<string, CheckResult> = { storage, keyVault };
  if (!catalogue.ok) checks.catalogue = catalogue;
  await forEachLimited(entries, BACKEND_PROBES_AT_ONCE, async (entry) => {
    checks[`backend:${entry.workspace}/${entry.service}`] = await timed(() => deps.probeBackend(entry, PROBE_TIMEOUT_MS));
  });
  const backendsOk = Object.entries(checks).every(([name, r]) => !name.startsWith('backend:') || r.ok);
  const status = !storage.ok || !keyVault.ok ? 'unhealthy' : backendsOk && catalogue.ok ? 'healthy' : 'degraded';
  return { status, checks };
}
