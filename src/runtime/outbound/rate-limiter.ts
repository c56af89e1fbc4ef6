import Bottleneck from "bottleneck";

export interface RateLimitSettings {
  requests: number;
  periodMs: number;
  /** Requests that may go at once before the steady rate applies. @default requests */
  burst?: number;
  /** Requests in flight at once. @default unlimited */
  concurrency?: number;
}

/**
 * A vendor's request limit as a token bucket (bottleneck's reservoir): `burst` at once, refilled at
 * `requests` per `period`, so over any stretch of time T no more than burst + T x rate requests go.
 * The vendor's own signals pause it: a 429's Retry-After, and `RateLimit-*` or `X-RateLimit-*`
 * headers saying nothing remains until a reset.
 */
export class VendorRateLimiter {
  readonly #limiter: Bottleneck;
  #pausedUntil = 0;
  readonly #onWait: ((ms: number) => void) | undefined;

  constructor(settings: RateLimitSettings, onWait?: (ms: number) => void) {
    const burst = Math.max(1, Math.floor(settings.burst ?? settings.requests));
    // bottleneck refills on its heartbeat: at most every 50 ms, by as many tokens as the rate allows
    // in that time (rounded down, so the rate is never exceeded).
    const refillEveryMs = Math.max(50, Math.ceil(settings.periodMs / settings.requests));
    const refillAmount = Math.max(1, Math.floor((settings.requests * refillEveryMs) / settings.periodMs));
    this.#limiter = new Bottleneck({
      reservoir: burst,
      reservoirIncreaseAmount: refillAmount,
      reservoirIncreaseInterval: refillEveryMs,
      reservoirIncreaseMaximum: burst,
      heartbeatInterval: refillEveryMs,
      ...(settings.concurrency ? { maxConcurrent: settings.concurrency } : {}),
    });
    this.#onWait = onWait;
  }

  async schedule<T>(task: () => Promise<T>): Promise<T> {
    const queued = Date.now();
    return this.#limiter.schedule(async () => {
      const pause = this.#pausedUntil - Date.now();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      this.#onWait?.(Date.now() - queued);
      return task();
    });
  }

  /** Reads the vendor's answer for limit signals; returns how long it asked to wait, if it did. */
  observe(status: number, headers: Headers): number | undefined {
    const wait = vendorWaitMs(status, headers);
    if (wait !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
    return wait;
  }

  get pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - Date.now());
  }

  async stop(): Promise<void> {
    await this.#limiter.stop({ dropWaitingJobs: false });
  }
}

/** How long the vendor asks to wait: Retry-After (seconds or a date), or a spent limit's reset. */
export function vendorWaitMs(status: number, headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && (status === 429 || status === 503)) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  for (const prefix of ["ratelimit", "x-ratelimit"]) {
    const remaining = headers.get(`${prefix}-remaining`);
    const reset = headers.get(`${prefix}-reset`);
    if (remaining === null || Number(remaining) > 0 || reset === null) continue;
    const value = Number(reset);
    if (!Number.isFinite(value)) continue;
    // RateLimit-Reset is seconds from now; X-RateLimit-Reset is mostly a Unix time (GitHub), sometimes seconds.
    return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : value * 1000;
  }
  if (status === 429) return 1_000;
  return undefined;
}
