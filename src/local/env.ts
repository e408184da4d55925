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
