// Azurite (the Azure Storage emulator, from npm) as a child process on loopback: by default in memory on free
// ports; with persistLocation and fixed ports it can be stopped and started again with its data (fault tests).
import { createRequire } from 'node:module';
import path from 'node:path';
import { startChild, type RunningChild } from './child.js';

export interface AzuriteInfo {
  blob: string;
  queue: string;
  table: string;
  connectionString: string;
}

/** Azurite's documented, public development account. */
export const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(urls: { blob: string; queue: string; table: string }): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_KEY}`,
    `BlobEndpoint=${urls.blob}/${DEV_ACCOUNT}`,
    `QueueEndpoint=${urls.queue}/${DEV_ACCOUNT}`,
    `TableEndpoint=${urls.table}/${DEV_ACCOUNT}`,
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
    ],
    echo: options.echo,
    ready(line) {
      const match = /Azurite (Blob|Queue|Table) service is successfully listening at (\S+)/.exec(line);
      if (match) urls[match[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = match[2]!.replace(/\/$/, '');
      if (!urls.blob || !urls.queue || !urls.table) return undefined;
      const all = urls as { blob: string; queue: string; table: string };
      return { ...all, connectionString: azuriteConnectionString(all) };
    },
  });
}
