// Subscriptions (SPEC §3): a caller's identity, its product and state. Keys are never part of a stored or
// listed subscription: they are shown once, at creation or regeneration, and kept only as hashes.
import { z } from 'zod';
import { ProductId } from './products.js';
import { CONTROL_CHARACTER, isWellFormed } from './text.js';

export const SubscriptionState = z.enum(['active', 'suspended', 'cancelled']);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

export const KeyKind = z.enum(['primary', 'secondary']);
export type KeyKind = z.infer<typeof KeyKind>;

export const CreateSubscriptionInput = z
  .object({
    name: z.string().trim().min(1).max(200)
      .refine((n) => isWellFormed(n) && !CONTROL_CHARACTER.test(n), 'name must be printable text (no control characters or lone surrogates)'),
    productId: ProductId,
  })
  .strict();

export const UpdateSubscriptionInput = z.object({ state: SubscriptionState }).strict();

export const RegenerateQuery = z.object({ key: KeyKind });

export const Subscription = z.object({
  id: z.string(),
  name: z.string(),
  productId: ProductId,
  state: SubscriptionState,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Subscription = z.infer<typeof Subscription>;

export const SubscriptionWithKeys = Subscription.extend({ primaryKey: z.string(), secondaryKey: z.string() });
export type SubscriptionWithKeys = z.infer<typeof SubscriptionWithKeys>;
