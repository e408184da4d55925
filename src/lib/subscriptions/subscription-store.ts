// Subscriptions in Table storage. Table "subscriptions" holds each subscription with the SHA-256 digests of
// its two keys (never the keys); table "subscriptionkeys" maps a key digest to its subscription so a call
// finds its caller with one point read. The subscription row is the authority: an index row left behind by a
// regeneration that died halfway matches no digest there and admits nobody — nor one left by a deletion that died
// halfway (the subscription row goes first).
//
// Throttling counters are keyed by subscription and window (`rate:<id>`, `quota:<id>`, row `<period>-<start>`), not
// by product: a subscription moved to another product keeps its counts wherever the new product's window is the same
// window (same renewalPeriod), and starts that product's window fresh where the period differs (another row). So a
// move never resets what was spent in the current window (moving away and back gives nothing back), and a new,
// lower limit applies at once to what was already counted.
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import type { KeyKind, Subscription, SubscriptionState, SubscriptionWithKeys } from '../contracts/subscriptions.js';
import { GatewayError } from '../errors.js';
import { digestsEqual, hashKey } from '../auth/subscription-key.js';
import { keyHashHex, newKey } from '../auth/keys.js';
import { isNotFound, storageUnavailable } from '../storage/errors.js';
import { TtlCache } from '../ttl-cache.js';
import type { CallerIdentity } from '../contracts/operations.js';

const PARTITION = 'sub';

interface SubscriptionRow {
  name: string;
  productId: string;
  state: SubscriptionState;
  primaryKeyHash: string;
  secondaryKeyHash: string;
  createdAt: string;
  updatedAt: string;
  /** UTC ISO 8601; absent (Table storage has no null): never expires. */
  expiresAt?: string;
}

/** What one PATCH changes (undefined: unchanged; expiresAt null: no expiry). */
export interface SubscriptionChange {
  state?: SubscriptionState;
  productId?: string;
  expiresAt?: string | null;
}

export interface SubscriptionTables {
  subscriptions: () => Promise<TableClient>;
  keys: () => Promise<TableClient>;
}

export class SubscriptionStore {
  readonly #tables: SubscriptionTables;
  readonly #callers: TtlCache<CallerIdentity | undefined>;
  readonly #now: () => number;

  constructor(tables: SubscriptionTables, options: { cacheMs: number; staleIfErrorMs?: number; now?: () => number }) {
    this.#tables = tables;
    this.#now = options.now ?? Date.now;
    this.#callers = new TtlCache(options.cacheMs, { now: options.now, staleIfErrorMs: options.staleIfErrorMs });
  }

  /**
   * The hot path: key → caller, cached per instance for `cacheMs` (changes made here invalidate at once). A key of
   * a subscription past its expiresAt is refused here with 403 SubscriptionExpired (checked on every call against
   * the clock, so a cached caller expires on time); a cancelled one stays SubscriptionNotActive (authorize).
   */
  async verify(key: string): Promise<CallerIdentity | undefined> {
    const digest = hashKey(key);
    const hex = digest.toString('hex');
    const caller = await this.#callers.get(hex, () => this.#lookup(digest, hex));
    if (caller?.expiresAt !== undefined && caller.state !== 'cancelled' && Date.parse(caller.expiresAt) <= this.#now()) {
      throw new GatewayError('SubscriptionExpired', `Access denied: the subscription expired at ${caller.expiresAt}.`);
    }
    return caller;
  }

  async create(name: string, productId: string, options: { expiresAt?: string | null } = {}): Promise<SubscriptionWithKeys> {
    const id = randomUUID().replace(/-/g, '');
    const primaryKey = newKey();
    const secondaryKey = newKey();
    const now = new Date().toISOString();
    const row: SubscriptionRow = {
      name, productId, state: 'active',
      primaryKeyHash: keyHashHex(primaryKey), secondaryKeyHash: keyHashHex(secondaryKey),
      createdAt: now, updatedAt: now,
      ...(options.expiresAt ? { expiresAt: utc(options.expiresAt) } : {}),
    };
    await this.#storage(async () => {
      const keys = await this.#tables.keys();
      await keys.upsertEntity({ partitionKey: row.primaryKeyHash.slice(0, 2), rowKey: row.primaryKeyHash, subscriptionId: id }, 'Replace');
      await keys.upsertEntity({ partitionKey: row.secondaryKeyHash.slice(0, 2), rowKey: row.secondaryKeyHash, subscriptionId: id }, 'Replace');
      await (await this.#tables.subscriptions()).createEntity({ partitionKey: PARTITION, rowKey: id, ...row });
    });
    return { ...toSubscription(id, row), primaryKey, secondaryKey };
  }

  async get(id: string): Promise<Subscription | undefined> {
    const found = await this.#readRow(id);
    return found && toSubscription(id, found.row);
  }

  async list(): Promise<Subscription[]> {
    return this.#storage(async () => {
      const out: Subscription[] = [];
      const table = await this.#tables.subscriptions();
      for await (const row of table.listEntities<SubscriptionRow>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
        out.push(toSubscription(row.rowKey!, row));
      }
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    });
  }

  async setState(id: string, state: SubscriptionState): Promise<Subscription> {
    return (await this.update(id, { state })).after;
  }

  /**
   * State, product and expiry in one conditional write. A cancelled subscription is final: it takes no change
   * (cancelling it again is a no-op); delete it instead. Answers the subscription before and after.
   */
  async update(id: string, change: SubscriptionChange): Promise<{ before: Subscription; after: Subscription }> {
    let before: SubscriptionRow | undefined;
    const { row } = await this.#update(id, (current) => {
      before = current;
      if (current.state === 'cancelled') {
        const changes = Object.entries(change).filter(([, v]) => v !== undefined).map(([k]) => k);
        if (!(changes.length === 1 && change.state === 'cancelled')) {
          const what = change.state !== undefined && change.state !== 'cancelled' ? `cancelled → ${change.state} is not allowed` : `${changes.join(', ')} cannot change`;
          throw new GatewayError('SubscriptionCancelled', `A cancelled subscription cannot be reactivated, suspended or changed (${what}).`, { target: changes[0] ?? 'state' });
        }
      }
      const next: SubscriptionRow = { ...current };
      if (change.state !== undefined) next.state = change.state;
      if (change.productId !== undefined) next.productId = change.productId;
      if (change.expiresAt === null) delete next.expiresAt;
      else if (change.expiresAt !== undefined) next.expiresAt = utc(change.expiresAt);
      return next;
    });
    return { before: toSubscription(id, before!), after: toSubscription(id, row) };
  }

  /**
   * Deletes the subscription and its key index rows; its keys stop at once here (this instance's cache is
   * cleared) and on other instances within their auth cache. Usage rows (keyed by subscription id) and batch jobs
   * are left as they are. Answers what was deleted, or undefined when there was no such subscription.
   */
  async delete(id: string): Promise<Subscription | undefined> {
    const found = await this.#readRow(id);
    if (!found) return undefined;
    const { row } = found;
    // The subscription row is the authority: once it is gone no key matches, whatever index rows are left.
    const deleted = await this.#storage(async () => {
      try {
        await (await this.#tables.subscriptions()).deleteEntity(PARTITION, id, { etag: found.etag });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        if ((error as { statusCode?: number }).statusCode === 412) throw new GatewayError('ConcurrentUpdate', 'The subscription is being changed concurrently; try again.');
        throw error;
      }
    });
    this.#callers.clear();
    if (!deleted) return undefined;
    await this.#storage(async () => {
      const keys = await this.#tables.keys();
      for (const hash of [row.primaryKeyHash, row.secondaryKeyHash]) {
        await keys.deleteEntity(hash.slice(0, 2), hash).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        });
      }
    }).catch(() => undefined); // a left-over index row matches no subscription and admits nobody
    return toSubscription(id, row);
  }

  async regenerate(id: string, kind: KeyKind): Promise<{ subscription: Subscription; key: string }> {
    const key = newKey();
    const hash = keyHashHex(key);
    let oldHash = '';
    // New index row first, then the authoritative switch on the subscription, then the old index row goes.
    await this.#storage(async () => {
      await (await this.#tables.keys()).upsertEntity({ partitionKey: hash.slice(0, 2), rowKey: hash, subscriptionId: id }, 'Replace');
    });
    const updated = this.#update(id, (current) => {
      // A cancelled subscription is over for good: a new key would be a key to nothing (and the index row is removed below).
      if (current.state === 'cancelled') throw new GatewayError('SubscriptionCancelled', 'A cancelled subscription gets no new keys.', { target: 'id' });
      oldHash = kind === 'primary' ? current.primaryKeyHash : current.secondaryKeyHash;
      return kind === 'primary' ? { ...current, primaryKeyHash: hash } : { ...current, secondaryKeyHash: hash };
    });
    const { row } = await updated.catch(async (error: unknown) => {
      // The switch did not happen: the new index row matches no subscription key; remove it rather than leave it.
      await this.#storage(async () => (await this.#tables.keys()).deleteEntity(hash.slice(0, 2), hash)).catch(() => undefined);
      throw error;
    });
    await this.#storage(async () => {
      await (await this.#tables.keys()).deleteEntity(oldHash.slice(0, 2), oldHash).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    });
    this.#callers.delete(oldHash);
    return { subscription: toSubscription(id, row), key };
  }

  async #lookup(digest: Buffer, hex: string): Promise<CallerIdentity | undefined> {
    const index = await this.#storage(async () => {
      try {
        return await (await this.#tables.keys()).getEntity<{ subscriptionId: string }>(hex.slice(0, 2), hex);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
    if (!index) return undefined;
    const found = await this.#readRow(index.subscriptionId);
    if (!found) return undefined;
    const { row } = found;
    const matches = digestsEqual(digest, Buffer.from(row.primaryKeyHash, 'hex')) || digestsEqual(digest, Buffer.from(row.secondaryKeyHash, 'hex'));
    if (!matches) return undefined;
    return {
      subscriptionId: index.subscriptionId, subscriptionName: row.name, productId: row.productId, state: row.state,
      ...(row.expiresAt ? { expiresAt: row.expiresAt } : {}),
    };
  }

  async #readRow(id: string): Promise<{ row: SubscriptionRow; etag: string } | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    return this.#storage(async () => {
      try {
        const entity = await (await this.#tables.subscriptions()).getEntity<SubscriptionRow>(PARTITION, id);
        return { row: entity, etag: entity.etag };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  /** Read-modify-write with the row's ETag, retried on a concurrent change. */
  async #update(id: string, change: (row: SubscriptionRow) => SubscriptionRow): Promise<{ row: SubscriptionRow }> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.#readRow(id);
      if (!found) throw new GatewayError('SubscriptionNotFound', `Subscription "${id}" was not found.`);
      const next = { ...change(pick(found.row)), updatedAt: new Date().toISOString() };
      try {
        await (await this.#tables.subscriptions()).updateEntity({ partitionKey: PARTITION, rowKey: id, ...next }, 'Replace', { etag: found.etag });
        this.#callers.clear(); // any cached caller of this subscription is stale now
        return { row: next };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 412) throw storageUnavailable(error);
      }
    }
    throw new GatewayError('ConcurrentUpdate', 'The subscription is being changed concurrently; try again.');
  }

  async #storage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw storageUnavailable(error);
    }
  }
}

function pick(row: SubscriptionRow): SubscriptionRow {
  const { name, productId, state, primaryKeyHash, secondaryKeyHash, createdAt, updatedAt, expiresAt } = row;
  return { name, productId, state, primaryKeyHash, secondaryKeyHash, createdAt, updatedAt, ...(expiresAt ? { expiresAt } : {}) };
}

function toSubscription(id: string, row: SubscriptionRow): Subscription {
  return {
    id, name: row.name, productId: row.productId, state: row.state, createdAt: row.createdAt, updatedAt: row.updatedAt,
    expiresAt: row.expiresAt ? row.expiresAt : null,
  };
}

/** An ISO 8601 instant with any offset → UTC ISO 8601 (validated before it gets here). */
function utc(instant: string): string {
  return new Date(instant).toISOString();
}
