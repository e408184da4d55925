// Management operations on subscriptions: create (keys shown once), list, get, change (state, product, expiry),
// delete, regenerate a key. Listed subscriptions show state "expired" once their expiresAt has passed.
//
// Names are labels, like APIM's display names: two subscriptions may share one. Nothing keys on a name (the
// id is the identity: keys, counters, usage and the audit log all name the id), so a duplicate is harmless; a
// uniqueness rule would need an index row kept in step with every create and delete, and would refuse what
// APIM allows.
import { GatewayError } from '../errors.js';
import {
  CreateSubscriptionInput, listedState, RegenerateQuery, UpdateSubscriptionInput,
  type ListedSubscription, type Subscription,
} from '../contracts/subscriptions.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import { readJson, type ManageOperation } from './handler.js';

const notFound = (id: string) => new GatewayError('SubscriptionNotFound', `Subscription "${id}" was not found.`);

/** As the management API shows it: the listed state at this instant. */
export function listed<T extends Subscription>(subscription: T, nowMs = Date.now()): Omit<T, 'state'> & Pick<ListedSubscription, 'state'> {
  return { ...subscription, state: listedState(subscription, nowMs) };
}

export const createSubscription: ManageOperation = async (request, parts) => {
  const input = await readJson(request, CreateSubscriptionInput);
  if (!(await parts.products.get(input.productId))) {
    throw new GatewayError('RequestBodyInvalid', `Product "${input.productId}" does not exist.`, { target: 'productId' });
  }
  if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
    throw new GatewayError('RequestBodyInvalid', 'expiresAt is in the past: a new subscription would be expired already.', { target: 'expiresAt' });
  }
  const created = await parts.subscriptions.create(input.name, input.productId, { expiresAt: input.expiresAt ?? null });
  return {
    status: 201,
    body: created,
    audit: { target: `subscriptions/${created.id}`, details: { name: created.name, productId: created.productId, expiresAt: created.expiresAt } },
  };
};

export const listSubscriptions: ManageOperation = async (_request, parts) => {
  const now = Date.now();
  return { status: 200, body: (await parts.subscriptions.list()).map((s) => listed(s, now)) };
};

export const getSubscription: ManageOperation = async (request, parts) => {
  const id = request.params.id ?? '';
  const subscription = await parts.subscriptions.get(id);
  if (!subscription) throw notFound(id);
  return { status: 200, body: listed(subscription) };
};

/**
 * PATCH: state, product (a move) and expiry, at once. A move applies to the next call on this instance and within
 * the auth cache on others; the counters carry as the store explains (same period: same window, same count).
 */
export const updateSubscription: ManageOperation = async (request, parts) => {
  const input = await readJson(request, UpdateSubscriptionInput);
  const id = request.params.id ?? '';
  if (!(await parts.subscriptions.get(id))) throw notFound(id);
  if (input.productId !== undefined && !(await parts.products.get(input.productId))) {
    throw new GatewayError('ProductNotFound', `Product "${input.productId}" was not found.`, { target: 'productId' });
  }
  const { before, after } = await parts.subscriptions.update(id, input);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['state', 'productId', 'expiresAt'] as const) {
    if (before[field] !== after[field]) changed[field] = { from: before[field], to: after[field] };
  }
  return { status: 200, body: listed(after), audit: { target: `subscriptions/${id}`, details: { changed } } };
};

/** DELETE: the keys stop at once here, elsewhere within AUTH_CACHE_SECONDS; usage history stays. 200 with what was deleted. */
export const deleteSubscription: ManageOperation = async (request, parts) => {
  const id = request.params.id ?? '';
  const deleted = await parts.subscriptions.delete(id);
  if (!deleted) throw notFound(id);
  return {
    status: 200,
    body: listed(deleted),
    audit: { target: `subscriptions/${id}`, details: { name: deleted.name, productId: deleted.productId, state: deleted.state } },
  };
};

export const regenerateKey: ManageOperation = async (request, parts) => {
  const { key: kind } = parseOrThrow(RegenerateQuery, queryObject(request.query), {
    detailCode: 'InvalidQueryParameter',
    message: 'The query string is invalid: key must be primary or secondary.',
  });
  const id = request.params.id ?? '';
  if (!(await parts.subscriptions.get(id))) throw notFound(id);
  const { subscription, key } = await parts.subscriptions.regenerate(id, kind);
  return {
    status: 200,
    body: { ...listed(subscription), [kind === 'primary' ? 'primaryKey' : 'secondaryKey']: key },
    audit: { target: `subscriptions/${id}`, details: { key: kind } },
  };
};
