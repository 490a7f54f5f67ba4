/** How fast a bucket refills and how much it holds. */
export interface BucketRate {
  perMinute: number;
  burst: number;
}

/** What taking a token decided. */
export interface TakeResult {
  admitted: boolean;
  /** Dropped, and the first drop since the sender was last quiet: tell them once. */
  firstDrop: boolean;
}

interface Bucket {
  tokens: number;
  at: number;
  rate: BucketRate;
  noticed: boolean;
}

// Buckets that are full again carry no state worth keeping; past this many, they are forgotten.
const PRUNE_ABOVE = 1_000;

/**
 * Token buckets per key (one per sender): `burst` messages at once, then `perMinute`. Written
 * here rather than taken from a library because it must run on the gateway's injected clock
 * (budgets and tests move it) and report the first drop of a flood, and it is this small.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  take(key: string, rate: BucketRate): TakeResult {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: rate.burst, at, rate, noticed: false };
    // The rate in force now applies (a config edit takes effect at once).
    bucket.rate = rate;
    bucket.tokens = Math.min(rate.burst, refilled(bucket, at));
    bucket.at = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      // A full bucket means the sender was quiet long enough: a new flood gets a new notice.
      if (bucket.tokens >= rate.burst) bucket.noticed = false;
      bucket.tokens -= 1;
      this.prune(at);
      return { admitted: true, firstDrop: false };
    }
    const firstDrop = !bucket.noticed;
    bucket.noticed = true;
    return { admitted: false, firstDrop };
  }

  private prune(at: number): void {
    if (this.buckets.size <= PRUNE_ABOVE) return;
    for (const [key, bucket] of this.buckets) {
      if (refilled(bucket, at) >= bucket.rate.burst) this.buckets.delete(key);
    }
  }
}

/** The tokens a bucket holds at `at`, uncapped. A clock moved backwards refills nothing. */
function refilled(bucket: Bucket, at: number): number {
  return bucket.tokens + (Math.max(0, at - bucket.at) * bucket.rate.perMinute) / 60_000;
}
