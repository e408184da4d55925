// Subscriptions: a caller's identity, its product and state. Keys are never part of a stored or
// listed subscription: they are shown once, at creation or regeneration, and kept only as hashes.
import { z } from 'zod';
import { ProductId } from './products.js';
import { CONTROL_CHARACTER, isWellFormed } from './text.js';

/** The states an admin sets (and the store keeps). */
export const SubscriptionState = z.enum(['active', 'suspended', 'cancelled']);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

/**
 * The state a subscription is listed with: its stored state, or `expired` once its `expiresAt` has passed (unless it
 * is cancelled, which stays cancelled). Never stored: expiry is a function of the clock.
 */
export const ListedSubscriptionState = z.enum([...SubscriptionState.options, 'expired']);
export type ListedSubscriptionState = z.infer<typeof ListedSubscriptionState>;

export const KeyKind = z.enum(['primary', 'secondary']);
export type KeyKind = z.infer<typeof KeyKind>;

/** An instant with its offset (e.g. 2026-01-31T00:00:00Z); stored and shown as UTC. */
export const ExpiresAt = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with an offset, e.g. 2026-01-31T00:00:00Z' });

const SubscriptionName = z.string().trim().min(1).max(200)
  .refine((n) => isWellFormed(n) && !CONTROL_CHARACTER.test(n), 'name must be printable text (no control characters or lone surrogates)');

export const CreateSubscriptionInput = z
  .object({
    /** A label, like APIM's display name: not unique (the id is the identity). */
    name: SubscriptionName,
    productId: ProductId,
    /** Optional: after it, calls get 403 SubscriptionExpired. Must be in the future. */
    expiresAt: ExpiresAt.nullable().optional(),
  })
  .strict();
export type CreateSubscriptionInput = z.infer<typeof CreateSubscriptionInput>;

/** PATCH: any of state, product (a move) and expiry (null removes it), at least one. */
export const UpdateSubscriptionInput = z
  .object({
    state: SubscriptionState.optional(),
    productId: ProductId.optional(),
    expiresAt: ExpiresAt.nullable().optional(),
  })
  .strict()
  .refine((input) => input.state !== undefined || input.productId !== undefined || input.expiresAt !== undefined, {
    message: 'give at least one of state, productId, expiresAt',
  });
export type UpdateSubscriptionInput = z.infer<typeof UpdateSubscriptionInput>;

export const RegenerateQuery = z.object({ key: KeyKind });

const SubscriptionFields = {
  id: z.string(),
  name: z.string(),
  productId: ProductId,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** UTC ISO 8601, or null: never expires. */
  expiresAt: z.string().nullable(),
};

/** A subscription as stored (state as an admin set it). */
export const StoredSubscription = z.object({ ...SubscriptionFields, state: SubscriptionState });
export type Subscription = z.infer<typeof StoredSubscription>;

/** A subscription as the management API lists it (state `expired` once expiresAt has passed). */
export const Subscription = z.object({ ...SubscriptionFields, state: ListedSubscriptionState });
export type ListedSubscription = z.infer<typeof Subscription>;

export const SubscriptionWithKeys = Subscription.extend({ primaryKey: z.string(), secondaryKey: z.string() });
export type SubscriptionWithKeys = z.infer<typeof SubscriptionWithKeys>;

/** The listed state at `nowMs`. */
export function listedState(subscription: Pick<Subscription, 'state' | 'expiresAt'>, nowMs: number): ListedSubscriptionState {
  if (subscription.state === 'cancelled') return 'cancelled';
  if (subscription.expiresAt !== null && Date.parse(subscription.expiresAt) <= nowMs) return 'expired';
  return subscription.state;
}
