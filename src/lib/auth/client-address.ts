// The caller's network address as the platform saw it: the LAST X-Forwarded-For entry, which Azure's front end
// (and the local host) appends — earlier entries are whatever the client claimed. Azure adds ":port"; drop it.
import type { HttpRequest } from '@azure/functions';

export function clientAddress(request: HttpRequest): string {
  const forwarded = request.headers.get('x-forwarded-for');
  if (!forwarded) return 'unknown';
  const last = forwarded.slice(forwarded.lastIndexOf(',') + 1).trim();
  if (last.startsWith('[')) return last.slice(1, last.indexOf(']')); // [ipv6]:port
  const colons = last.split(':').length - 1;
  return colons === 1 ? last.slice(0, last.indexOf(':')) : last; // ipv4:port, or a bare ipv6
}
