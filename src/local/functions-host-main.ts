// Process entry of the local Functions host (`node dist/src/local/functions-host-main.js`): serves the app
// that package.json "main" names, prints one "listening" JSON line, closes gracefully on SIGTERM/SIGINT.
// Env: PORT (default 7071, 0 = free port), HOST (default 127.0.0.1), FUNCTIONS_APP_ROOT (default: the
// nearest directory above this file holding a package.json).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCoreShim } from './host/core-shim.js';
import { createJsonLogger, loadLocalSettings, readRoutePrefix, resolveAppModules, startFunctionsHost } from './host/index.js';
import { parseLogLevel } from './host/logger.js';

// Before any app code runs: the library looks the core module up once and caches a miss forever.
installCoreShim();
// Timer schedules are local time; on Linux the Functions host takes the zone from WEBSITE_TIME_ZONE.
if (process.env.WEBSITE_TIME_ZONE && !process.env.TZ) process.env.TZ = process.env.WEBSITE_TIME_ZONE;

function findProjectRoot(): string {
  const override = process.env.FUNCTIONS_APP_ROOT;
  if (override) return path.resolve(override);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('No package.json found above the host; set FUNCTIONS_APP_ROOT.');
    dir = parent;
  }
  return dir;
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 7071;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0-65535, got "${text}"`);
  return port;
}

function fail(err: unknown): never {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(JSON.stringify({ event: 'error', level: 'critical', message }) + '\n');
  process.exit(1);
}

async function main(): Promise<void> {
  const root = findProjectRoot();
  await loadLocalSettings(root);
  const logger = createJsonLogger({ minLevel: parseLogLevel(process.env.AzureFunctionsJobHost__logging__logLevel__default) });
  process.on('unhandledRejection', (reason) => {
    logger({ level: 'error', category: 'system', message: `Unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : typeof reason}` });
  });

  const host = await startFunctionsHost({
    port: parsePort(process.env.PORT),
    host: process.env.HOST || '127.0.0.1',
    routePrefix: await readRoutePrefix(root),
    appModules: await resolveAppModules(root),
    logger,
    logLevel: logger.minLevel,
    functionAppDirectory: root,
  });

  logger.flush();
  const functions = host.functions.map(({ name, trigger, route, methods, schedule }) => ({ name, trigger, route, methods, schedule }));
  process.stdout.write(JSON.stringify({ event: 'listening', url: host.url, functions }) + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1); // a second Ctrl-C means "now"
    stopping = true;
    logger({ level: 'information', category: 'system', message: `${signal} received, shutting down.` });
    setTimeout(() => fail(new Error('Shutdown took longer than 20 s.')), 20_000).unref();
    host.close().then(() => process.exit(0), fail);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch(fail);
