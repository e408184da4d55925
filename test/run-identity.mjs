// `npm run test:identity`: the integration suite again with every facade keyless — Azurite on HTTPS with OAuth,
// storage reached by identity, every SAS a user-delegation SAS (STACK_STORAGE_AUTH=identity). Node and Python read a
// certificate authority only at start, so the loopback certificate is made first and handed to vitest (and through
// it to every process the tests start) in NODE_EXTRA_CA_CERTS and REQUESTS_CA_BUNDLE.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { ensureLoopbackCert } = await import(path.join(root, 'dist/src/local/stack/loopback-cert.js'));
const { cert } = ensureLoopbackCert(path.join(root, '.local', 'certs'));
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '--project', 'integration', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, STACK_STORAGE_AUTH: 'identity', NODE_EXTRA_CA_CERTS: cert, REQUESTS_CA_BUNDLE: cert },
});
process.exit(result.status ?? 1);
