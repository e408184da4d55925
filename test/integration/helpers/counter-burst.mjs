// A second facade "instance" for the cross-process counter test: the COMPILED TableCounterStore on the shared
// table. Prints {"event":"ready"}, waits for "go" on stdin so every process fires at once, then prints the result.
// Usage: COUNTER_CONNECTION=... node counter-burst.mjs <scope> <windowStartMs> <periodSeconds> <limit> <calls>
import { createInterface } from 'node:readline';
import { TableCounterStore } from '../../../dist/src/lib/throttling/counter-store.js';
import { getTableClient } from '../../../dist/src/lib/storage/tables.js';

const [scope, start, period, limit, calls] = process.argv.slice(2);
const table = () => getTableClient(process.env.COUNTER_CONNECTION ?? '', 'counters');
const store = new TableCounterStore(table);
await table();
console.log(JSON.stringify({ event: 'ready' }));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line.trim() === 'go') break;
lines.close();
const window = { start: Number(start), periodSeconds: Number(period) };
const began = performance.now();
const results = await Promise.allSettled(Array.from({ length: Number(calls) }, () => store.tryConsume(scope, window, Number(limit))));
const admitted = results.filter((r) => r.status === 'fulfilled' && r.value.admitted).length;
const errors = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason));
const done = { event: 'done', admitted, errors, ms: Math.round(performance.now() - began), stats: store.stats };
// The storage client's keep-alive sockets would hold the process open; exit once the line is out.
process.stdout.write(`${JSON.stringify(done)}\n`, () => process.exit(0));
