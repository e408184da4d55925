// Latency histograms: percentiles of histograms merged across instances and minutes (and through the table
// encoding) agree with the exact percentiles of the raw latencies to within one bucket's precision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, Histogram, LOWEST_MS, MAX_RELATIVE_ERROR, bucketOf, bucketValue } from '../../src/lib/usage/histogram.js';

/** Nearest-rank percentile of raw values, the definition the histogram follows. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

function splitAndMerge(values: number[], parts: number): Histogram {
  const pieces = Array.from({ length: parts }, () => new Histogram());
  values.forEach((v, i) => pieces[i % parts]!.add(v));
  const merged = new Histogram();
  // Through the stored form, as the usage API reads rows back.
  for (const piece of pieces) merged.addEncoded(piece.encode());
  return merged;
}

describe('latency histogram', () => {
  it('has monotone buckets that each span 10^(1/16)', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(LOWEST_MS)).toBe(1);
    expect(bucketOf(1e9)).toBe(BUCKET_COUNT - 1);
    let last = 0;
    for (let ms = 0.05; ms < 2e6; ms *= 1.01) {
      const b = bucketOf(ms);
      expect(b).toBeGreaterThanOrEqual(last);
      last = b;
    }
    expect(bucketValue(5) / bucketValue(4)).toBeCloseTo(10 ** (1 / 16), 12);
    expect(MAX_RELATIVE_ERROR).toBeLessThan(0.075);
  });

  it('answers null percentiles when empty', () => {
    expect(new Histogram().percentile(50)).toBeNull();
  });

  it('merged percentiles are within half a bucket of the exact ones (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: LOWEST_MS, max: 999_999, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(1, 50, 90, 95, 99, 99.9, 100),
        (values, parts, p) => {
          const estimate = splitAndMerge(values, parts).percentile(p)!;
          const exact = exactPercentile(values, p);
          expect(Math.abs(estimate / exact - 1)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps typical gateway latencies ordered and precise: 10 000 calls over 3 instances', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Log-normal around 2 ms with a slow tail, like an RRS call through the facade.
    const values = Array.from({ length: 10_000 }, () => Math.exp(Math.log(2) + 0.6 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())));
    const merged = splitAndMerge(values, 3);
    expect(merged.total).toBe(10_000);
    const [p50, p95, p99] = [50, 95, 99].map((p) => merged.percentile(p)!);
    expect(p50).toBeLessThanOrEqual(p95!);
    expect(p95).toBeLessThanOrEqual(p99!);
    for (const p of [50, 95, 99]) {
      expect(Math.abs(merged.percentile(p)! / exactPercentile(values, p) - 1)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR + 1e-9);
    }
  });

  it('encodes sparsely and skips nonsense when decoding', () => {
    const h = new Histogram();
    h.add(1);
    h.add(1);
    h.add(250);
    expect(h.encode()).toMatch(/^\d+:2,\d+:1$/);
    const back = new Histogram();
    back.addEncoded(`${h.encode()},x:1,9999:3,5:-1,,7`);
    expect(back.total).toBe(3);
    expect(back.encode()).toBe(h.encode());
  });
});
