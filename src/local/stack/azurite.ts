// Azurite (the Azure Storage emulator, from npm) as a child process on loopback: by default in memory on free
// ports; with persistLocation and fixed ports it can be stopped and started again with its data (fault tests).
import { createRequire } from 'node:module';
import path from 'node:path';
import { startChild, type RunningChild } from './child.js';

export interface AzuriteInfo {
  blob: string;
  queue: string;
  table: string;
  /** The facade's account (Azurite's documented development account). */
  connectionString: string;
  /** A second account on the same emulator, standing for a classic client's own storage account. */
  clientConnectionString: string;
}

/** Azurite's documented, public development account. */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** The client's account: emulator-only, its key as public as the development account's. */
export const CLIENT_ACCOUNT = 'clientstore1';
const CLIENT_KEY = Buffer.from('ml-facade local client storage account key, emulator only').toString('base64');

export function azuriteConnectionString(urls: { blob: string; queue: string; table: string }, account = DEV_ACCOUNT, key = DEV_KEY): string {
  return [
    `DefaultEndpointsProtocol=${urls.blob.startsWith('https:') ? 'https' : 'http'}`,
    `AccountName=${account}`,
    `AccountKey=${key}`,
    `BlobEndpoint=${urls.blob}/${account}`,
    `QueueEndpoint=${urls.queue}/${account}`,
    `TableEndpoint=${urls.table}/${account}`,
  ].join(';') + ';';
}

export interface AzuriteOptions {
  echo?: boolean;
  /** Working directory (Azurite may write debug files there). */
  location: string;
  /** Keep data on disk here instead of in memory, so a restart on the same ports finds it again. */
  persistLocation?: string;
  /** Fixed ports (default 0: free ones). */
  ports?: { blob: number; queue: number; table: number };
  /** More accounts, served after the development and client accounts (e.g. one per test file). */
  accounts?: readonly StorageAccount[];
  /** Called with every line Azurite writes. */
  onLine?: (line: string) => void;
  /** HTTPS with this certificate and OAuth (Entra tokens) accepted besides keys: the stack's identity mode. */
  https?: { cert: string; key: string };
}

export interface StorageAccount {
  name: string;
  key: string;
}

/** In memory unless `persistLocation` is given; on free ports unless `ports` are. */
export function startAzurite(options: AzuriteOptions): Promise<RunningChild<AzuriteInfo>> {
  const script = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const urls: Partial<Record<'blob' | 'queue' | 'table', string>> = {};
  const persistence = options.persistLocation ? ['--location', path.resolve(options.persistLocation)] : ['--inMemoryPersistence'];
  const ports = options.ports ?? { blob: 0, queue: 0, table: 0 };
  return startChild<AzuriteInfo>({
    name: 'azurite',
    script,
    cwd: path.resolve(options.location),
    args: [
      '--silent', ...persistence, '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--blobPort', String(ports.blob), '--queuePort', String(ports.queue), '--tablePort', String(ports.table),
      ...(options.https ? ['--oauth', 'basic', '--cert', options.https.cert, '--key', options.https.key] : []),
    ],
    // Both accounts, the development one first: with AZURITE_ACCOUNTS set, Azurite serves exactly those listed.
    env: { ...process.env, AZURITE_ACCOUNTS: [`${DEV_ACCOUNT}:${DEV_KEY}`, `${CLIENT_ACCOUNT}:${CLIENT_KEY}`, ...(options.accounts ?? []).map((a) => `${a.name}:${a.key}`)].join(';') },
    echo: options.echo,
    onLine: options.onLine,
    ready(line) {
      const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
      if (match) urls[match[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = match[2]!.replace(/\/$/, '');
      if (!urls.blob || !urls.queue || !urls.table) return undefined;
      const all = urls as { blob: string; queue: string; table: string };
      return { ...all, connectionString: azuriteConnectionString(all), clientConnectionString: azuriteConnectionString(all, CLIENT_ACCOUNT, CLIENT_KEY) };
    },
  });
}
