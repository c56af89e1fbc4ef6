import { ExponentialBackoff, fullJitterGenerator, noJitterGenerator } from "cockatiel";
import type { IBackoff } from "cockatiel";

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  multiplier: number;
  /** 0 for none; otherwise cockatiel's full jitter. */
  jitter: number;
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1), from cockatiel's exponential backoff;
 * never shorter than what the vendor asked for with Retry-After.
 */
export function backoffDelayMs(settings: BackoffSettings, attempt: number, retryAfterMs?: number): number {
  const backoff = new ExponentialBackoff({
    initialDelay: settings.initialMs,
    maxDelay: settings.maxMs,
    exponent: settings.multiplier,
    generator: settings.jitter > 0 ? fullJitterGenerator : noJitterGenerator,
  });
  let step: IBackoff<unknown> = backoff.next();
  for (let i = 1; i < attempt; i++) step = step.next(undefined);
  return Math.max(step.duration, retryAfterMs ?? 0);
}
