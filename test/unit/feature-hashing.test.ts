// MurmurHash3 against published vectors and an independent BigInt implementation, and Feature Hashing's
// tokenising, digit rule, n-gram folding and bucketing.
import { describe, expect, it } from 'vitest';
import { featureHash, tokenHash, tokenize } from '../../src/reference/feature-hashing.js';
import { murmurhash3_32, murmurhash3_32_utf8 } from '../../src/reference/murmurhash3.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const M32 = (1n << 32n) - 1n;

// A second, deliberately different implementation (BigInt, byte at a time) straight from the algorithm's text.
function referenceMurmur(bytes: Uint8Array, seed = 0): number {
  const mul = (a: bigint, b: bigint): bigint => (a * b) & M32;
  const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (32n - r))) & M32;
  const mixK = (k: bigint): bigint => mul(rotl(mul(k, 0xcc9e2d51n), 15n), 0x1b873593n);
  let h = BigInt(seed) & M32;
  const full = bytes.length - (bytes.length % 4);
  for (let i = 0; i < full; i += 4) {
    const k = BigInt(bytes[i]!) + (BigInt(bytes[i + 1]!) << 8n) + (BigInt(bytes[i + 2]!) << 16n) + (BigInt(bytes[i + 3]!) << 24n);
    h = (mul(rotl(h ^ mixK(k), 13n), 5n) + 0xe6546b64n) & M32;
  }
  let tail = 0n;
  for (let i = bytes.length - 1; i >= full; i--) tail = (tail << 8n) | BigInt(bytes[i]!);
  if (bytes.length % 4 !== 0) h ^= mixK(tail);
  h ^= BigInt(bytes.length);
  h ^= h >> 16n;
  h = mul(h, 0x85ebca6bn);
  h ^= h >> 13n;
  h = mul(h, 0xc2b2ae35n);
  h ^= h >> 16n;
  return Number(h);
}

const hex = (bytes: number[]): Uint8Array => Uint8Array.from(bytes);

// Published MurmurHash3_x86_32 vectors (SMHasher / Wikipedia / the widely copied StackOverflow list), each found in
// several independent public test suites.
const VECTORS: Array<[Uint8Array, number, number]> = [
  [utf8(''), 0, 0x00000000],
  [utf8(''), 1, 0x514e28b7],
  [utf8(''), 0xffffffff, 0x81f16f39],
  [utf8('test'), 0, 0xba6bd213],
  [utf8('test'), 0x9747b28c, 0x704b81dc],
  [utf8('Hello, world!'), 0, 0xc0363e43],
  [utf8('Hello, world!'), 0x9747b28c, 0x24884cba],
  [utf8('The quick brown fox jumps over the lazy dog'), 0, 0x2e4ff723],
  [utf8('The quick brown fox jumps over the lazy dog'), 0x9747b28c, 0x2fa826cd],
  [hex([0xff, 0xff, 0xff, 0xff]), 0, 0x76293b50],
  [hex([0x21, 0x43, 0x65, 0x87]), 0, 0xf55b516b],
  [hex([0x21, 0x43, 0x65, 0x87]), 0x5082edee, 0x2362f9de],
  [hex([0x21, 0x43, 0x65]), 0, 0x7e4a8634], // tail of 3
  [hex([0x21, 0x43]), 0, 0xa0f7b07a], // tail of 2
  [hex([0x21]), 0, 0x72661cf4], // tail of 1
  [hex([0, 0, 0, 0]), 0, 0x2362f9de],
  [hex([0, 0, 0]), 0, 0x85f0b427],
  [hex([0, 0]), 0, 0x30f4c306],
  [hex([0]), 0, 0x514e28b7],
  [utf8('t'), 0, 0xca87df4d],
  [utf8('te'), 0, 0xedb8ee1b],
  [utf8('tes'), 0, 0x0bb90e5a],
  [utf8('abcd'), 0x9747b28c, 0xf0478627],
  [utf8('abc'), 0x9747b28c, 0xc84a62dd],
  [utf8('ab'), 0x9747b28c, 0x74875592],
  [utf8('a'), 0x9747b28c, 0x7fa09ea6],
  [utf8('ππππππππ'), 0x9747b28c, 0xd58063c1], // multi-byte UTF-8
  [utf8('a'.repeat(256)), 0x9747b28c, 0x37405bdc],
  [utf8('abc'), 0, 0xb3dd93fa],
  [utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), 0, 0xee925b90],
];

describe('murmurhash3_32', () => {
  it.each(VECTORS.map(([bytes, seed, want], i) => ({ i, bytes, seed, want })))('published vector #$i', ({ bytes, seed, want }) => {
    expect(murmurhash3_32(bytes, seed)).toBe(want);
    expect(referenceMurmur(bytes, seed)).toBe(want);
  });

  it("passes SMHasher's verification value 0xB0F57EE3", () => {
    const key = new Uint8Array(256);
    const out = new Uint8Array(1024);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 256; i++) {
      key[i] = i;
      view.setUint32(i * 4, murmurhash3_32(key.subarray(0, i), 256 - i), true);
    }
    expect(murmurhash3_32(out, 0)).toBe(0xb0f57ee3);
  });

  it('hashes UTF-8 bytes of non-ASCII text, agreeing with the BigInt implementation', () => {
    for (const s of ['café', '日本語', '😀', 'naïve 🚀 text', 'Ω', 'e\u0301', '\u00a0', 'Zürich—Genève']) {
      expect(murmurhash3_32_utf8(s)).toBe(referenceMurmur(utf8(s)));
      expect(murmurhash3_32_utf8(s)).toBe(murmurhash3_32(utf8(s)));
    }
    expect(murmurhash3_32_utf8('café')).not.toBe(murmurhash3_32_utf8('cafe'));
  });

  it('agrees with the BigInt implementation on every length 0..64 and a long string', () => {
    let s = '';
    for (let n = 0; n <= 64; n++, s += String.fromCharCode(33 + ((n * 7) % 90))) {
      expect(murmurhash3_32_utf8(s, n)).toBe(referenceMurmur(utf8(s), n));
    }
    const long = 'x€y'.repeat(5000); // grows the scratch buffer
    expect(murmurhash3_32_utf8(long)).toBe(referenceMurmur(utf8(long)));
    expect(murmurhash3_32_utf8('test')).toBe(0xba6bd213);
  });
});

// The expected values below are computed independently: BigInt fold and BigInt digit values.
const FOLD = 27942141n;
const expectedTokenHash = (t: string): bigint => (/^[0-9]+$/.test(t) ? BigInt(t) & M32 : BigInt(referenceMurmur(utf8(t))));

function expectedFeatures(text: string, bits: number, ngrams: number): number[] {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  const counts = new Array<number>(2 ** bits).fill(0);
  for (let n = 1; n <= ngrams; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      let h = expectedTokenHash(tokens[i]!);
      for (let j = 1; j < n; j++) h = (h * FOLD + expectedTokenHash(tokens[i + j]!)) & M32;
      counts[Number(h % BigInt(2 ** bits))]! += 1;
    }
  }
  return counts;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const ngramTotal = (k: number, n: number): number => {
  let total = 0;
  for (let len = 1; len <= Math.min(n, k); len++) total += k - len + 1;
  return total;
};

describe('featureHash', () => {
  it('returns 2^3 zero counts for empty or whitespace-only text', () => {
    for (const text of ['', ' ', '\t\n  \r']) expect(featureHash(text)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('splits on any run of whitespace and keeps tokens as written', () => {
    expect(tokenize('  This is\ta  good\n\nday!  ')).toEqual(['This', 'is', 'a', 'good', 'day!']);
    expect(tokenize('Day, day.')).toEqual(['Day,', 'day.']);
  });

  it('hashes digit-only tokens to their value', () => {
    expect(tokenHash('123')).toBe(123);
    expect(tokenHash('00123')).toBe(123);
    expect(tokenHash('0')).toBe(0);
    expect(featureHash('123', { ngrams: 1 })).toEqual([0, 0, 0, 1, 0, 0, 0, 0]); // 123 mod 8 = 3
    expect(featureHash('4294967296', { ngrams: 1, bits: 16 })[0]).toBe(1); // 2^32 wraps to 0
    const long = '98765432109876543210987654321';
    expect(tokenHash(long)).toBe(Number(BigInt(long) % 2n ** 32n));
    expect(tokenHash('9'.repeat(400))).toBe(Number(BigInt('9'.repeat(400)) % 2n ** 32n));
  });

  it('hashes tokens that are not only ASCII digits with murmur', () => {
    for (const t of ['12a', '-12', '1.5', '+7', '١٢٣' /* Arabic-Indic digits */]) {
      expect(tokenHash(t)).toBe(murmurhash3_32(utf8(t)));
    }
  });

  it('preserves case and punctuation', () => {
    expect(tokenHash('Day')).not.toBe(tokenHash('day'));
    expect(tokenHash('day')).not.toBe(tokenHash('day.'));
    expect(featureHash('Day', { bits: 16 })).not.toEqual(featureHash('day', { bits: 16 }));
  });

  it.each([1, 2, 3])('folds n-grams up to N = %i', (n) => {
    const text = 'This is a good day , 42 日本語 café 😀';
    const got = featureHash(text, { ngrams: n, bits: 16 });
    expect(got).toEqual(expectedFeatures(text, 16, n));
    expect(sum(got)).toBe(ngramTotal(10, n));
  });

  it('counts k + (k-1) + … n-grams for k tokens', () => {
    const text = 'a b c d e f g';
    for (let n = 1; n <= 10; n++) expect(sum(featureHash(text, { ngrams: n }))).toBe(ngramTotal(7, n));
    expect(sum(featureHash('one'))).toBe(1);
  });

  it('matches the independent computation for a bigram of two known hashes', () => {
    const h1 = BigInt(murmurhash3_32(utf8('good')));
    const h2 = BigInt(murmurhash3_32(utf8('day')));
    const bigram = Number(((h1 * FOLD + h2) & M32) % 65536n);
    const only = featureHash('good day', { bits: 16 });
    expect(only[bigram]).toBeGreaterThanOrEqual(1);
    expect(only).toEqual(expectedFeatures('good day', 16, 2));
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('bitsize %i gives 2^b buckets', (bits) => {
    const text = 'The quick brown fox jumps over the lazy dog 123 00123';
    const got = featureHash(text, { bits });
    expect(got).toHaveLength(2 ** bits);
    expect(got).toEqual(expectedFeatures(text, bits, 2));
  });

  it('uses the defaults of the module: 3 bits, bigrams', () => {
    expect(featureHash('This is a good day')).toEqual(expectedFeatures('This is a good day', 3, 2));
  });

  it('rejects out-of-range options', () => {
    expect(() => featureHash('x', { bits: 0 })).toThrow(RangeError);
    expect(() => featureHash('x', { bits: 17 })).toThrow(RangeError);
    expect(() => featureHash('x', { ngrams: 0 })).toThrow(RangeError);
    expect(() => featureHash('x', { ngrams: 1.5 })).toThrow(RangeError);
  });
});
