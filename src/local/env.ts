// Settings of the local processes (host, stack, stand-ins) read the same way: a port is a whole number from 0 (any
// free port) to 65535, and a bad one stops the process naming the setting. And they stop the same way.
export function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number from 0 to 65535, got "${text.slice(0, 20)}"`);
  return port;
}

/** Closes the server once on the first SIGTERM or SIGINT, then exits (1 if closing failed). */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The process entry of a stand-in: settings read (each bad one a JSON error line, exit 1), the server started, one
 * `{"event":"listening","url"}` line, stopped on SIGTERM or SIGINT.
 */
export function runStandIn<S>(
  readSettings: (env: NodeJS.ProcessEnv) => { settings?: S; errors: string[] },
  start: (settings: S) => Promise<{ url: string; close(): Promise<void> }>,
): void {
  const fail = (message: string): never => {
    process.stderr.write(`${JSON.stringify({ event: 'error', message })}\n`);
    process.exit(1);
  };
  const { settings, errors } = readSettings(process.env);
  if (!settings) {
    for (const message of errors.length > 0 ? errors : ['invalid settings']) process.stderr.write(`${JSON.stringify({ event: 'error', message })}\n`);
    process.exit(1);
  }
  start(settings).then(
    (standIn) => {
      process.stdout.write(`${JSON.stringify({ event: 'listening', url: standIn.url })}\n`);
      closeOnSignal(() => standIn.close());
    },
    (err: unknown) => fail(err instanceof Error ? err.message : 'startup failed'),
  );
}

/** Listens on a loopback host and port (0: any free one); the server's URL. */
export async function listenLoopback(server: import('node:http').Server, host: string, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as import('node:net').AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
