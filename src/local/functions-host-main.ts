// Process entry of the local Functions host (`node dist/src/local/functions-host-main.js`): serves the app
// that package.json "main" names, prints one "listening" JSON line, closes gracefully on SIGTERM/SIGINT.
// Env: PORT (default 7071, 0 = free port), HOST (default 127.0.0.1), FUNCTIONS_APP_ROOT (default: the project
// this file was built in: the nearest directory above it holding package.json and host.json).
import path from 'node:path';
import { portSetting } from './env.js';
import { findProjectRoot } from './stack/project.js';
import { installCoreShim } from './host/core-shim.js';
import { createJsonLogger, loadLocalSettings, readRoutePrefix, resolveAppModules, startFunctionsHost } from './host/index.js';
import { parseLogLevel } from './host/logger.js';

// Before any app code runs: the library looks the core module up once and caches a miss forever.
installCoreShim();
// Timer schedules are local time; on Linux the Functions host takes the zone from WEBSITE_TIME_ZONE.
if (process.env.WEBSITE_TIME_ZONE && !process.env.TZ) process.env.TZ = process.env.WEBSITE_TIME_ZONE;

/** FUNCTIONS_APP_ROOT, else the project this host was built in. */
function appRoot(): string {
  const override = process.env.FUNCTIONS_APP_ROOT;
  return override ? path.resolve(override) : findProjectRoot();
}

function fail(err: unknown): never {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(JSON.stringify({ event: 'error', level: 'critical', message }) + '\n');
  process.exit(1);
}

async function main(): Promise<void> {
  const root = appRoot();
  await loadLocalSettings(root);
  const logger = createJsonLogger({ minLevel: parseLogLevel(process.env.AzureFunctionsJobHost__logging__logLevel__default) });
  process.on('unhandledRejection', (reason) => {
    logger({ level: 'error', category: 'system', message: `Unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : typeof reason}` });
  });

  const host = await startFunctionsHost({
    port: portSetting(process.env, 'PORT', 7071),
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
