// GET /manage/usage/quotas: every subscription with the calls counted in its current rate-limit and quota windows,
// read from the throttling counters without spending a call — the very windows GET /workspaces/me shows its
// subscriber (self/counter-reader.ts) — and how much of each is used.
import { listedState, type Subscription } from '../contracts/subscriptions.js';
import type { Product } from '../contracts/products.js';
import type { WindowUsage } from '../self/counter-reader.js';
import type { ManageOperation, ManageParts } from './handler.js';
import { forEachLimited } from '../concurrency.js';

/** Subscriptions whose counters are read at once: a few point reads each, never thousands in one burst. */
const CONCURRENCY = 8;

export interface QuotaWindow extends WindowUsage {
  /** calls / limit, 0–100 with one decimal. */
  percentUsed: number;
}

export interface SubscriptionQuotas {
  id: string;
  name: string;
  productId: string;
  /** null: the product no longer exists (its windows are then null too). */
  productName: string | null;
  state: string;
  /** null: the product sets no such limit. */
  rate: QuotaWindow | null;
  quota: QuotaWindow | null;
}

const withPercent = (window: WindowUsage): QuotaWindow => ({
  ...window,
  percentUsed: Math.min(100, Math.round((window.calls / window.limit) * 1000) / 10), // a limit is never 0 (contracts/products.ts)
});

async function quotasOf(subscription: Subscription, product: Product | undefined, parts: ManageParts, now: number): Promise<SubscriptionQuotas> {
  const { id } = subscription;
  const [rate, quota] = await Promise.all([
    product?.rateLimit ? parts.usage.counters.window('rate', id, product.rateLimit, now).then(withPercent) : null,
    product?.quota ? parts.usage.counters.window('quota', id, product.quota, now).then(withPercent) : null,
  ]);
  return {
    id, name: subscription.name, productId: subscription.productId, productName: product?.name ?? null,
    state: listedState(subscription, now), rate, quota,
  };
}

export const getUsageQuotas: ManageOperation = async (_request, parts) => {
  const now = Date.now();
  const [subscriptions, products] = await Promise.all([parts.subscriptions.list(), parts.products.list()]);
  const productsById = new Map(products.map((p) => [p.id, p]));
  const answers: SubscriptionQuotas[] = new Array(subscriptions.length);
  await forEachLimited(subscriptions, CONCURRENCY, async (subscription, i) => {
    answers[i] = await quotasOf(subscription, productsById.get(subscription.productId), parts, now);
  });
  return { status: 200, body: { at: new Date(now).toISOString(), subscriptions: answers } };
};
