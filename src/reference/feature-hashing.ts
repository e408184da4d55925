// Azure ML Studio (classic) Feature Hashing, i.e. Vowpal Wabbit's scheme: whitespace tokens, MurmurHash3
// (digit-only tokens hash to their value), n-grams folded with VW's quadratic constant, bucket = hash mod 2^bits.
import { murmurhash3_32_utf8 } from './murmurhash3.js';

export const DEFAULT_BITS = 3;
export const DEFAULT_NGRAMS = 2;
export const MAX_BITS = 16;
export const MAX_NGRAMS = 10;

/** Vowpal Wabbit's `quadratic_constant`, used to combine the hashes of an n-gram's tokens. */
export const NGRAM_FOLD_CONSTANT = 27942141;

export interface FeatureHashOptions {
  /** Hashing bitsize b: the output has 2^b features (1..16, default 3). */
  bits?: number;
  /** Longest n-gram N (1..10, default 2). */
  ngrams?: number;
}

const WHITESPACE = /\s+/;
const TWO_POW_32 = 4294967296;

/** Splits text as the module does: on any run of whitespace, tokens kept exactly as written. */
export function tokenize(text: string): string[] {
  const parts = text.split(WHITESPACE);
  // split leaves an empty string at either end when the text starts or ends with whitespace
  let start = 0;
  let end = parts.length;
  if (end > 0 && parts[0] === '') start = 1;
  if (end > start && parts[end - 1] === '') end -= 1;
  return start === 0 && end === parts.length ? parts : parts.slice(start, end);
}

/** A token's hash: its numeric value (mod 2^32) when it is only ASCII digits, else MurmurHash3 of its UTF-8 bytes. */
export function tokenHash(token: string): number {
  let value = 0;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return murmurhash3_32_utf8(token, 0);
    // value < 2^32 so value * 10 + 9 < 2^36 stays exact in a double; reducing each step equals reducing at the end
    value = (value * 10 + c) % TWO_POW_32;
  }
  return token.length === 0 ? murmurhash3_32_utf8(token, 0) : value;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  }
}

/** Counts of the text's 1..N-grams per bucket; an array of 2^bits integers. */
export function featureHash(text: string, options: FeatureHashOptions = {}): number[] {
  const bits = options.bits ?? DEFAULT_BITS;
  const ngrams = options.ngrams ?? DEFAULT_NGRAMS;
  checkInteger('bits', bits, 1, MAX_BITS);
  checkInteger('ngrams', ngrams, 1, MAX_NGRAMS);
  const mask = (1 << bits) - 1;
  const counts = new Array<number>(mask + 1).fill(0);
  const tokens = tokenize(text);
  const k = tokens.length;
  if (k === 0) return counts;
  const hashes = new Array<number>(k);
  for (let i = 0; i < k; i++) hashes[i] = tokenHash(tokens[i]!);
  for (let i = 0; i < k; i++) {
    let h = hashes[i]!;
    counts[h & mask]! += 1;
    const last = Math.min(k, i + ngrams);
    for (let j = i + 1; j < last; j++) {
      h = (Math.imul(h, NGRAM_FOLD_CONSTANT) + hashes[j]!) >>> 0;
      counts[h & mask]! += 1;
    }
  }
  return counts;
}
