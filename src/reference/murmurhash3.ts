// MurmurHash3 x86 32-bit (Austin Appleby's reference algorithm), the token hash of Vowpal Wabbit and of
// Azure ML Studio's Feature Hashing module. Results are unsigned 32-bit integers.

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** Hashes bytes[0, length). `length` lets callers hash a prefix of a reused scratch buffer without a copy. */
export function murmurhash3_32(bytes: Uint8Array, seed = 0, length = bytes.length): number {
  let h = seed >>> 0;
  const blocks = length & ~3;
  let i = 0;
  for (; i < blocks; i += 4) {
    // Little-endian block read, as the reference does on x86.
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[i + 2]! << 16;
    if (tail >= 2) k ^= bytes[i + 1]! << 8;
    k ^= bytes[i]!;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();
// Grown on demand and reused, so hashing a string allocates nothing once the buffer is big enough.
let scratch = new Uint8Array(256);

/** MurmurHash3 of a string's UTF-8 bytes. */
export function murmurhash3_32_utf8(text: string, seed = 0): number {
  // A UTF-16 code unit never takes more than 3 UTF-8 bytes.
  if (text.length * 3 > scratch.length) scratch = new Uint8Array(Math.max(text.length * 3, scratch.length * 2));
  const { written } = encoder.encodeInto(text, scratch);
  return murmurhash3_32(scratch, seed, written);
}
