import type { DeliveryPolicy } from "../../api/types.js";
import { parseGoDuration } from "../config/go-duration.js";
import type { DeliveryPolicySettings } from "./delivery-worker.js";

/** The Integration's delivery policy with the schema's defaults filled in, durations in milliseconds. */
export function deliverySettings(policy: DeliveryPolicy | undefined): DeliveryPolicySettings & {
  timeoutMs: number;
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number };
} {
  const retry = policy?.retry ?? {};
  const breaker = policy?.circuitBreaker ?? {};
  const halfOpenAfterMs = parseGoDuration(breaker.halfOpenAfter ?? "30s");
  return {
    timeoutMs: parseGoDuration(policy?.timeout ?? "10s"),
    maxAttempts: retry.maxAttempts ?? 8,
    backoff: {
      initialMs: parseGoDuration(retry.initialBackoff ?? "1s"),
      maxMs: parseGoDuration(retry.maxBackoff ?? "5m"),
      multiplier: retry.multiplier ?? 2,
      jitter: retry.jitter ?? 0.2,
    },
    maxDurationMs: parseGoDuration(retry.maxDuration ?? "24h"),
    circuitWaitMs: halfOpenAfterMs,
    deadLetters: policy?.deadLetter?.enabled ?? true,
    breaker: { consecutiveFailures: breaker.consecutiveFailures ?? 5, halfOpenAfterMs },
  };
}
