// Settings of the local processes (host, stack, Key Vault stand-in) read the same way: a port is a whole number
// from 0 (any free port) to 65535, and a bad one stops the process naming the setting.
export function portSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number from 0 to 65535, got "${text.slice(0, 20)}"`);
  return port;
}
