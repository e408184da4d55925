// The Python Feature Hashing the real model servers serve (models/feature-hashing/feature_hashing.py, behind
// azmlinfsrv and MLServer) must agree exactly with the TypeScript reference (src/reference/feature-hashing.ts):
// tokens, token hashes and bucket counts, over a corpus of awkward texts (every JavaScript whitespace, lookalikes
// that are not whitespace, digit-only tokens past 2^32, emoji, lone surrogates, empty texts) and several bits and
// n-gram settings. One Python process scores the whole corpus (JSON lines in, JSON lines out).
// Python: the model servers' one (findModelPython: $BACKENDS_PYTHON, .venv or .local/backends-venv, which .ci/run
// and npm start make); without one this test fails under CI and is skipped, loudly, elsewhere.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/local/stack/project.js';
import { modelPython } from './helpers/stack.js';
import { prng } from './helpers/prng.js';
import { featureHash, tokenHash, tokenize } from '../../src/reference/feature-hashing.js';

const root = findProjectRoot();
const modelDir = path.join(root, 'models', 'feature-hashing');
const python = modelPython('python-models');

// Reads {"text", "bits", "ngrams"} lines; writes {"tokens", "hashes", "counts": nonzero [bucket, count] pairs, "size"}.
const DRIVER = `
import json, sys
sys.path.insert(0, sys.argv[1])
from feature_hashing import feature_hash, token_hash, tokenize
for line in sys.stdin:
    if not line.strip():
        continue
    q = json.loads(line)
    tokens = tokenize(q["text"])
    counts = feature_hash(q["text"], q["bits"], q["ngrams"])
    nonzero = [[i, c] for i, c in enumerate(counts) if c]
    sys.stdout.write(json.dumps({"tokens": tokens, "hashes": [token_hash(t) for t in tokens], "counts": nonzero, "size": len(counts)}) + "\\n")
`;


// Every character JavaScript's \s matches, and some that look like whitespace but are not (Python's str.split()
// splits on \x1c-\x1f and \x85; \u200b and \u180e are not whitespace in either).
const JS_WHITESPACE = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const NOT_WHITESPACE = ['\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\u200b', '\u180e', '\u2060'];

function corpus(size: number): string[] {
  const rand = prng(20240601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const ranges: Array<[number, number]> = [
    [0x61, 0x7a], [0x41, 0x5a], [0x30, 0x39], [0xe0, 0xff], [0x391, 0x3c9], [0x410, 0x44f], [0x5d0, 0x5ea],
    [0x660, 0x669], [0x4e00, 0x4fff], [0x3040, 0x309f], [0xac00, 0xacff], [0x1f600, 0x1f64f], [0x1f300, 0x1f3ff],
    [0x300, 0x36f], [0x21, 0x2f],
  ];
  const word = (): string => {
    const kind = rand();
    if (kind < 0.2) return String(int(0, 9)).repeat(int(1, 3)) + String(Math.floor(rand() * 1e6)); // digits only
    if (kind < 0.25) return pick(['4294967295', '4294967296', '4294967297', '99999999999999999999999', '007', '0', '00']);
    if (kind < 0.3) return pick(NOT_WHITESPACE) + 'x' + pick(NOT_WHITESPACE);
    if (kind < 0.32) return `a${pick(['\ud800', '\udfff', '\udc00'])}b`; // a lone surrogate: U+FFFD to TextEncoder
    let w = '';
    const [lo, hi] = pick(ranges);
    for (let n = int(1, 12); n > 0; n--) w += String.fromCodePoint(int(lo, hi));
    return w;
  };
  const gap = (): string => {
    let g = '';
    for (let n = int(1, 3); n > 0; n--) g += rand() < 0.5 ? ' ' : pick(JS_WHITESPACE);
    return g;
  };
  const texts = ['', ' ', '\u3000', '\ufeff', '\u00a0x\u00a0', 'This is a good day', '12 34 12 34', '\x1c', 'a\x1cb c'];
  while (texts.length < size) {
    let text = rand() < 0.3 ? gap() : '';
    for (let n = int(0, 14); n > 0; n--) text += word() + (n > 1 || rand() < 0.3 ? gap() : '');
    texts.push(text);
  }
  return texts;
}

const SETTINGS = [1, 3, 8, 16].flatMap((bits) => [1, 2, 3].map((ngrams) => ({ bits, ngrams })));

describe.skipIf(!python)('Python Feature Hashing (models/feature-hashing) equals the TypeScript reference', () => {
  it('for every text of the corpus, with bits 1, 3, 8, 16 and n-grams 1, 2, 3: tokens, token hashes and counts', () => {
    const texts = corpus(300);
    const queries = texts.flatMap((text) => SETTINGS.map(({ bits, ngrams }) => ({ text, bits, ngrams })));
    const run = spawnSync(python!, ['-c', DRIVER, modelDir], {
      input: queries.map((q) => JSON.stringify(q)).join('\n') + '\n',
      encoding: 'utf8',
      env: { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' },
      maxBuffer: 256 * 1024 * 1024,
      timeout: 120_000,
    });
    expect(run.error, String(run.error)).toBeUndefined();
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const answers = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(answers).toHaveLength(queries.length);
    let mismatches = 0;
    queries.forEach((q, i) => {
      const tokens = tokenize(q.text);
      const counts = featureHash(q.text, { bits: q.bits, ngrams: q.ngrams });
      const expected = {
        tokens,
        hashes: tokens.map(tokenHash),
        counts: counts.flatMap((c, j) => (c ? [[j, c]] : [])),
        size: counts.length,
      };
      // One readable failure (naming the query) rather than thousands.
      if (mismatches === 0 && JSON.stringify(answers[i]) !== JSON.stringify(expected)) {
        mismatches++;
        expect({ query: q, got: answers[i] }).toEqual({ query: q, got: expected });
      }
    });
    expect(mismatches).toBe(0);
  });
});
