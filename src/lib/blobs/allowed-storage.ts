// Which storage accounts a client's pass-through connection string may name. The backend reads and writes
// there on the facade's behalf, so an arbitrary endpoint would let a client point the service at hosts it
// should not reach; only configured patterns (and the facade's own accounts) are allowed.

/** The blob endpoint host (with port if any) a storage connection string points at, or undefined if unusable. */
export function blobHostOf(connectionString: string): string | undefined {
  const parts = new Map<string, string>();
  for (const piece of connectionString.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') return '127.0.0.1:10000';
  const endpoint = parts.get('blobendpoint');
  if (endpoint) {
    try {
      return new URL(endpoint).host.toLowerCase();
    } catch {
      return undefined;
    }
  }
  const account = parts.get('accountname');
  if (!account || !/^[a-z0-9]{3,24}$/.test(account)) return undefined;
  return `${account}.blob.${(parts.get('endpointsuffix') ?? 'core.windows.net').toLowerCase()}`;
}

/** Patterns are host names, optionally with a leading "*." wildcard for one or more labels. */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((raw) => {
    const p = raw.trim().toLowerCase();
    if (!p) return false;
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p;
  });
}

export function allowedStorageHosts(configured: string, ownConnectionStrings: readonly string[]): string[] {
  const own = ownConnectionStrings.map(blobHostOf).filter((h): h is string => Boolean(h));
  return [...configured.split(',').map((p) => p.trim()).filter(Boolean), ...own];
}
