// A self-signed TLS certificate for loopback (127.0.0.1, localhost), for the local stack's identity mode: Azurite
// accepts OAuth only over HTTPS. Made once with openssl into `dir` and reused while it is valid; processes that
// talk to the emulator trust it through NODE_EXTRA_CA_CERTS. Local use only: the key never leaves the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';

export interface LoopbackCert {
  cert: string;
  key: string;
}

export function ensureLoopbackCert(dir: string): LoopbackCert {
  mkdirSync(dir, { recursive: true });
  const cert = path.join(dir, 'loopback-cert.pem');
  const key = path.join(dir, 'loopback-key.pem');
  if (existsSync(cert) && existsSync(key)) {
    const validTo = Date.parse(new X509Certificate(readFileSync(cert)).validTo);
    if (validTo - Date.now() > 24 * 3_600_000) return { cert, key };
  }
  const made = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', key, '-out', cert,
  ], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the loopback certificate: ${(made.stderr ?? '').split('\n')[0]}`);
  return { cert, key };
}
