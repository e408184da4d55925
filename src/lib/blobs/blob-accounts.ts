// The two storage accounts the blob side uses, with clients cached per instance and containers created on
// first write: "storage" (the facade's own: results) and "exchange" (inputs and staging, given to backends).
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { serviceFromConnectionString } from './blob-sdk.js';

export type Account = 'storage' | 'exchange';

export class BlobAccounts {
  readonly #connection: Record<Account, string>;
  readonly #services = new Map<string, Promise<BlobServiceClient>>();
  readonly #created = new Map<string, Promise<ContainerClient>>();

  constructor(storageConnectionString: string, exchangeConnectionString?: string) {
    this.#connection = { storage: storageConnectionString, exchange: exchangeConnectionString || storageConnectionString };
  }

  /** The account's connection string, for backends only: never log it. */
  connectionString(account: Account): string {
    return this.#connection[account];
  }

  service(account: Account): Promise<BlobServiceClient> {
    return this.serviceFor(this.#connection[account], account === 'storage' ? 'the facade storage connection string' : 'BES_EXCHANGE_CONNECTION_STRING');
  }

  /** `what` names the connection string in errors; its value never appears in them. */
  serviceFor(connectionString: string, what: string): Promise<BlobServiceClient> {
    let service = this.#services.get(connectionString);
    if (!service) {
      service = serviceFromConnectionString(connectionString, what);
      this.#services.set(connectionString, service);
      service.catch(() => this.#services.delete(connectionString));
    }
    return service;
  }

  /** With `create`, the container is made once per instance; a failed creation is retried on the next call. */
  async container(account: Account, name: string, create: boolean): Promise<ContainerClient> {
    if (!create) return (await this.service(account)).getContainerClient(name);
    const key = `${account}/${name}`;
    let container = this.#created.get(key);
    if (!container) {
      container = this.service(account).then(async (service) => {
        const client = service.getContainerClient(name);
        await client.createIfNotExists();
        return client;
      });
      this.#created.set(key, container);
      container.catch(() => this.#created.delete(key));
    }
    return container;
  }
}
