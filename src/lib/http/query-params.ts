// Query-string values as the API documents them, parsed one way everywhere. A count is decimal digits only: Number()
// would also take "0x10", " 1 " or "1e2", which no client means and which a second parser might read differently.
import { z } from 'zod';

/** `limit`-style counts: 1…max, `fallback` when absent. */
export function countParam(max: number, fallback: number) {
  const message = `a whole number from 1 to ${max}`;
  return z.string().regex(/^\d{1,7}$/, { message }).default(String(fallback)).transform(Number).pipe(z.number().int().min(1, { message }).max(max, { message }));
}
