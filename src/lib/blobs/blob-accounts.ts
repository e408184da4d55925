// The two storage accounts the blob side uses, with clients cached per instance and containers created on
// first write: "storage" (the facade's own: results) and "exchange" (inputs and staging, given to backends).
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { controlSignal, serviceFromConnectionString, serviceFromIdentity } from './blob-sdk.js';
import { accessKey, isIdentity, type StorageAccess } from '../storage/access.js';
import { DEFAULT_STORAGE_DEADLINES, type StorageDeadlines } from '../storage/deadlines.js';

export type Account = 'storage' | 'exchange';

export class BlobAccounts {
  readonly #connection: Record<Account, StorageAccess>;
  readonly #services = new Map<string, Promise<BlobServiceClient>>();
  readonly #created = new Map<string, Promise<ContainerClient>>();

  readonly #deadlines: StorageDeadlines;

  constructor(storage: StorageAccess, exchange?: StorageAccess, deadlines: StorageDeadlines = DEFAULT_STORAGE_DEADLINES) {
    this.#connection = { storage, exchange: exchange || storage };
    this.#deadlines = deadlines;
  }

  /** The deadline of each small request (see controlSignal). */
  control(): { abortSignal: AbortSignal } {
    return controlSignal(this.#deadlines);
  }

  service(account: Account): Promise<BlobServiceClient> {
    return this.serviceFor(this.#connection[account], account === 'storage' ? 'the facade storage connection string' : 'BES_EXCHANGE_CONNECTION_STRING');
  }

  /** `what` names the connection string in errors; its value never appears in them. */
  serviceFor(access: StorageAccess, what: string): Promise<BlobServiceClient> {
    const key = accessKey(access);
    let service = this.#services.get(key);
    if (!service) {
      service = isIdentity(access) ? serviceFromIdentity(access, this.#deadlines) : serviceFromConnectionString(access, what, this.#deadlines);
      this.#services.set(key, service);
      service.catch(() => this.#services.delete(key));
    }
    return service;
  }

  /**
   * With `create`, the container is made if missing, remembered per instance (a failed creation is retried on the
   * next call); with 'fresh', made if missing now, whatever was remembered: for the paths that cannot repeat their
   * work once a missing container shows (an upload consumes its body), and after "ContainerNotFound".
   */
  async container(account: Account, name: string, create: boolean | 'fresh'): Promise<ContainerClient> {
    if (!create) return (await this.service(account)).getContainerClient(name);
    const key = `${account}/${name}`;
    if (create === 'fresh') this.#created.delete(key);
    let container = this.#created.get(key);
    if (!container) {
      container = this.service(account).then(async (service) => {
        const client = service.getContainerClient(name);
        await client.createIfNotExists(controlSignal(this.#deadlines));
        return client;
      });
      this.#created.set(key, container);
      container.catch(() => this.#created.delete(key));
    }
    return container;
  }
}
