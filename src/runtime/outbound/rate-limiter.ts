import { TokenBucket } from "limiter";
import pLimit from "p-limit";
import type { RateLimit } from "../../api/types.js";
import { parseGoDuration } from "../config/go-duration.js";
import type { ResponseHeaders } from "./http-client.js";
import type { LimitFunction } from "p-limit";

export interface RateLimitSettings {
  requests: number;
  periodMs: number;
  /** Requests that may go at once before the steady rate applies. @default requests */
  burst?: number;
  /** Requests in flight at once. @default unlimited */
  concurrency?: number;
}

/**
 * A vendor's request limit as a token bucket (the `limiter` package): `burst` at once, refilled at
 * `requests` per `period`, so over any stretch of time T no more than burst + T x rate requests go;
 * `concurrency` caps requests in flight (p-limit). The vendor's own signals pause it: a 429's
 * Retry-After, and `RateLimit-*` or `X-RateLimit-*` headers saying nothing remains until a reset.
 *
 * bottleneck, which the operator's client uses, runs each job through a timer and a lock; measured
 * here it capped deliveries at a few thousand per second, so the data plane takes a plain bucket.
 */
export class VendorRateLimiter {
  readonly #bucket: TokenBucket;
  readonly #concurrency: LimitFunction | undefined;
  #pausedUntil = 0;
  readonly #onWait: ((ms: number) => void) | undefined;

  constructor(settings: RateLimitSettings, onWait?: (ms: number) => void) {
    const burst = Math.max(1, Math.floor(settings.burst ?? settings.requests));
    this.#bucket = new TokenBucket({
      bucketSize: burst,
      tokensPerInterval: settings.requests,
      interval: settings.periodMs,
    });
    this.#bucket.content = burst; // a full bucket at start: the burst is available at once
    this.#concurrency = settings.concurrency ? pLimit(settings.concurrency) : undefined;
    this.#onWait = onWait;
  }

  schedule<T>(task: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const queued = Date.now();
      const pause = this.#pausedUntil - queued;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      if (!this.#bucket.tryRemoveTokens(1)) await this.#bucket.removeTokens(1);
      this.#onWait?.(Date.now() - queued);
      return task();
    };
    return this.#concurrency ? this.#concurrency(run) : run();
  }

  /** Reads the vendor's answer for limit signals; returns how long it asked to wait, if it did. */
  observe(status: number, headers: ResponseHeaders): number | undefined {
    const wait = vendorWaitMs(status, headers);
    if (wait !== undefined) this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + wait);
    return wait;
  }

  get pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - Date.now());
  }

  /** Nothing to release: waiting calls hold timers only while they wait. */
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** A limit as the connector and Integration specs write it (`requests` per a Go duration). */
export function rateLimitSettings(limit: RateLimit): RateLimitSettings {
  return {
    requests: limit.requests,
    periodMs: parseGoDuration(limit.period ?? "1s"),
    ...(limit.burst !== undefined ? { burst: limit.burst } : {}),
    ...(limit.concurrency !== undefined ? { concurrency: limit.concurrency } : {}),
  };
}

/** Runs a task through every limiter in turn (the Integration's, the connector's, the action's). */
export function scheduleThrough<T>(
  limiters: readonly VendorRateLimiter[],
  task: () => Promise<T>,
): Promise<T> {
  return limiters.reduceRight<() => Promise<T>>((inner, limiter) => () => limiter.schedule(inner), task)();
}

/** How long the vendor asks to wait: Retry-After (seconds or a date), or a spent limit's reset. */
export function vendorWaitMs(status: number, headers: ResponseHeaders, now = Date.now()): number | undefined {
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
