// Sealing of caller credentials the facade must keep for a while (the connection string of a classic client's
// output location, needed until its result is copied there and whenever a read link to it is signed). The
// job record holds only the sealed text: AES-256-GCM under a key derived from a Key Vault secret, bound to the
// job and output it belongs to (a sealed value moved to another record does not open). Anyone who can read the
// facade's tables still cannot read a caller's storage key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  seal(plain: string, context: string): Promise<string>;
  open(sealed: string, context: string): Promise<string>;
}

const VERSION = 'v1';
const INFO = 'ml-facade/credential-sealing/v1';

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
}

/** `secret` yields the key material (a Key Vault secret through the cache): read per call, so a rotation is picked up. */
export function createSealer(secret: () => Promise<string>): Sealer {
  return {
    async seal(plain, context) {
      const key = keyFrom(await secret());
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    async open(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || !iv || !body || !tag) throw new Error('not a sealed credential');
      const decipher = createDecipheriv('aes-256-gcm', keyFrom(await secret()), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        // The key changed or the value was tampered with: say which, never what.
        throw new Error('a sealed credential could not be opened (the sealing key changed, or the record was altered)');
      }
    },
  };
}
