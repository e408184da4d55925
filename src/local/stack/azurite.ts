// Azurite (the Azure Storage emulator, from npm) as a child process on free loopback ports, in memory.
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

/** In memory: nothing is written to disk; `location` is only the working directory (Azurite may write debug files there). */
export function startAzurite(options: { echo?: boolean; location: string }): Promise<RunningChild<AzuriteInfo>> {
  const script = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const urls: Partial<Record<'blob' | 'queue' | 'table', string>> = {};
  return startChild<AzuriteInfo>({
    name: 'azurite',
    script,
    cwd: path.resolve(options.location),
    args: [
      '--silent', '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
      '--blobPort', '0', '--queuePort', '0', '--tablePort', '0',
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
