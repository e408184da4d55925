// Which storage accounts a client's pass-through connection string may name. The backend reads (and the facade
// writes results) there on the client's behalf, so an arbitrary endpoint would let a client point the service
// at hosts it should not reach; only configured patterns (and the facade's own accounts) are allowed. Hosts come
// from the one connection-string parser, the same one whose canonical string goes on to the backend.
import { parseConnectionString } from '../storage/connection-string.js';
import { isIdentity, type StorageAccess } from '../storage/access.js';

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

export function allowedStorageHosts(configured: string, ownAccounts: readonly (StorageAccess | undefined)[]): string[] {
  const own = ownAccounts.flatMap((access) => {
    if (!access) return [];
    if (isIdentity(access)) return [new URL(access.blobServiceUri).host.toLowerCase()];
    const parsed = parseConnectionString(access);
    return parsed.ok ? [parsed.value.blobHost] : [];
  });
  return [...configured.split(',').map((p) => p.trim()).filter(Boolean), ...own];
}
