// Process entry of the reference ML web service (dist/src/reference/main.js). Configured by env (REFERENCE_API_KEY
// required; REFERENCE_PORT, REFERENCE_HOST, REFERENCE_WORKSPACE, REFERENCE_SERVICE, REFERENCE_MAX_BODY_BYTES,
// REFERENCE_BES_CONCURRENCY, REFERENCE_BES_ROW_DELAY_MS);
// prints one JSON line {"event":"listening","url":...} on stdout when ready, which the local stack parses.
import { z } from 'zod';
import { DEFAULT_BES_CONCURRENCY } from './bes/service.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_SERVICE, DEFAULT_WORKSPACE, createReferenceService } from './server.js';

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const Env = z.object({
  REFERENCE_API_KEY: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  REFERENCE_PORT: integer(0, 65535, 0),
  REFERENCE_HOST: z.string().min(1).default('127.0.0.1'),
  REFERENCE_WORKSPACE: z.string().min(1).default(DEFAULT_WORKSPACE),
  REFERENCE_SERVICE: z.string().min(1).default(DEFAULT_SERVICE),
  REFERENCE_MAX_BODY_BYTES: integer(1, Number.MAX_SAFE_INTEGER, DEFAULT_MAX_BODY_BYTES),
  REFERENCE_BES_CONCURRENCY: integer(1, 256, DEFAULT_BES_CONCURRENCY),
  REFERENCE_BES_ROW_DELAY_MS: integer(0, 60_000, 0),
});

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    // Names and rules only: never echo a value, one of them is the key.
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    process.stderr.write(`reference service: invalid environment\n  ${problems.join('\n  ')}\n`);
    process.exit(1);
  }
  const env = parsed.data;
  const service = createReferenceService({
    apiKey: env.REFERENCE_API_KEY,
    workspace: env.REFERENCE_WORKSPACE,
    service: env.REFERENCE_SERVICE,
    maxBodyBytes: env.REFERENCE_MAX_BODY_BYTES,
    besConcurrency: env.REFERENCE_BES_CONCURRENCY,
    besRowDelayMs: env.REFERENCE_BES_ROW_DELAY_MS,
  });
  const url = await service.listen(env.REFERENCE_PORT, env.REFERENCE_HOST);
  process.stdout.write(`${JSON.stringify({ event: 'listening', url })}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`reference service: error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`reference service: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
