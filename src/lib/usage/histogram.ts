// Latency histograms with fixed log-spaced buckets: recording is one array increment, histograms of any
// instances and minutes add up bucket by bucket, and a percentile of the sum is exact to within one bucket.

/** Bucket 1 starts here; faster calls share the underflow bucket 0. */
export const LOWEST_MS = 0.1;
/** 16 buckets per decade: each bucket spans a factor 10^(1/16) ≈ 1.155. */
export const PER_DECADE = 16;
/** 0.1 ms … 10^6 ms (1000 s, past any synchronous call's 230 s), then the overflow bucket. */
const DECADES = 7;
export const BUCKET_COUNT = PER_DECADE * DECADES + 2;
const OVERFLOW = BUCKET_COUNT - 1;

/**
 * The largest relative error of a reported percentile: it is the geometric middle of the bucket holding the
 * exact value, so it is off by at most half a bucket's factor, 10^(1/32) − 1 ≈ 7.5 %.
 */
export const MAX_RELATIVE_ERROR = 10 ** (0.5 / PER_DECADE) - 1;

export function bucketOf(ms: number): number {
  if (!(ms >= LOWEST_MS)) return 0; // also NaN and negatives: a broken clock must not break recording
  const index = Math.floor(Math.log10(ms / LOWEST_MS) * PER_DECADE) + 1;
  return index >= OVERFLOW ? OVERFLOW : index;
}

/** The value a bucket stands for when a percentile falls in it. */
export function bucketValue(index: number): number {
  if (index <= 0) return LOWEST_MS;
  if (index >= OVERFLOW) return LOWEST_MS * 10 ** DECADES;
  return LOWEST_MS * 10 ** ((index - 0.5) / PER_DECADE);
}

export class Histogram {
  readonly counts = new Float64Array(BUCKET_COUNT);
  total = 0;

  add(ms: number): void {
    this.counts[bucketOf(ms)]!++;
    this.total++;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < BUCKET_COUNT; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
  }

  /** Nearest-rank percentile (p in 0–100), or null for an empty histogram. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return bucketValue(i);
    }
    return bucketValue(OVERFLOW);
  }

  /** Sparse text for a table column: "bucket:count" pairs, e.g. "23:5,31:1". */
  encode(): string {
    const parts: string[] = [];
    for (let i = 0; i < BUCKET_COUNT; i++) if (this.counts[i]! > 0) parts.push(`${i}:${this.counts[i]}`);
    return parts.join(',');
  }

  /** Adds what `encode` wrote; pairs that make no sense (a hand-edited row) are skipped, not trusted. */
  addEncoded(text: string): void {
    if (!text) return;
    for (const pair of text.split(',')) {
      const colon = pair.indexOf(':');
      const index = Number(pair.slice(0, colon));
      const count = Number(pair.slice(colon + 1));
      if (colon < 0 || !Number.isInteger(index) || index < 0 || index >= BUCKET_COUNT || !(count > 0)) continue;
      this.counts[index]! += count;
      this.total += count;
    }
  }
}
