import { isBrokenCircuitError } from "cockatiel";
import type { Logger } from "pino";
import type { CompiledFlow } from "../flows/compile-flows.js";
import type { Delivery, Journal } from "../journal/journal.js";
import type { BackoffSettings } from "../outbound/backoff.js";
import { backoffDelayMs } from "../outbound/backoff.js";
import { isRetryableError, VendorError } from "../outbound/failure-classification.js";
import type { FlowTargets } from "./flow-targets.js";

export interface DeliveryPolicySettings {
  maxAttempts: number;
  backoff: BackoffSettings;
  /** After this long since the first attempt, an event that still fails becomes a dead letter. */
  maxDurationMs: number;
  /** How long an open circuit keeps events waiting before they are tried again. */
  circuitWaitMs: number;
  deadLetters: boolean;
}

export type DeliveryOutcome = "delivered" | "filtered" | "retry" | "waiting" | "dead" | "dropped";

export interface DeliveryWorkerOptions {
  journal: Journal;
  flows: Map<string, CompiledFlow>;
  targets: FlowTargets;
  policy: DeliveryPolicySettings;
  /** Deliveries in flight at once. @default 32 */
  concurrency?: number;
  /** How often the journal is looked at for scheduled retries when nothing wakes the worker. @default 250 */
  pollMs?: number;
  onOutcome?: (flow: string, outcome: DeliveryOutcome, seconds: number) => void;
  log: Logger;
}

/**
 * Takes due deliveries from the journal and runs them through their flow to its target. Success
 * marks them done; a retryable failure schedules the next attempt in the journal (so a crash loses no
 * schedule); an open circuit makes them wait without using up attempts; attempts or time exhausted,
 * or a failure no retry can fix, make a dead letter with the last error.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #paused = false;
  #pumping = false;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Holds deliveries in the journal (a vendor's maintenance window); events keep being received. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.wake();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Something was journaled: look now rather than at the next poll. */
  wake(): void {
    if (this.#stopped || this.#paused || this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => this.#pump());
  }

  /** Stops taking work and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await Promise.all(this.#inFlight);
  }

  #pump(): void {
    this.#pumping = false;
    clearTimeout(this.#timer);
    if (this.#stopped || this.#paused) return;
    const free = (this.#options.concurrency ?? 32) - this.#inFlight.size;
    const claimed = free > 0 ? this.#options.journal.claim(free) : [];
    for (const delivery of claimed) {
      const running: Promise<void> = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(running);
        this.wake();
      });
      this.#inFlight.add(running);
    }
    this.#timer = setTimeout(() => this.wake(), this.#options.pollMs ?? 250);
    this.#timer.unref();
  }

  async #deliver(delivery: Delivery): Promise<void> {
    const { journal, policy, log } = this.#options;
    const started = performance.now();
    const outcome = (result: DeliveryOutcome) =>
      this.#options.onOutcome?.(delivery.flow, result, (performance.now() - started) / 1000);
    const flow = this.#options.flows.get(delivery.flow);
    if (!flow) {
      // The Integration's flows changed since this was journaled: nothing routes it any more.
      journal.deadLetter(delivery.id, `flow "${delivery.flow}" no longer exists`);
      outcome("dead");
      return;
    }
    try {
      const output = await flow.run({
        type: delivery.eventType,
        deliveryId: delivery.deliveryId,
        payload: JSON.parse(delivery.payload) as unknown,
        receivedAt: new Date(delivery.receivedAt),
        traceparent: delivery.meta.traceparent,
      });
      if (output)
        await this.#options.targets.deliver(flow.target, output, delivery.meta.traceparent, flow.name);
      journal.complete(delivery.id);
      outcome(output ? "delivered" : "filtered");
      log.debug(
        { correlationId: delivery.meta.correlationId, flow: delivery.flow, attempt: delivery.attempts + 1 },
        output ? "delivered" : "filtered out",
      );
    } catch (error) {
      const now = Date.now();
      const message = describe(error);
      if (isBrokenCircuitError(error)) {
        journal.scheduleRetry(delivery.id, now + policy.circuitWaitMs, message, false);
        outcome("waiting");
        return;
      }
      const attempts = delivery.attempts + 1;
      const elapsed = now - (delivery.firstAttemptAt ?? now);
      if (isRetryableError(error) && attempts < policy.maxAttempts && elapsed < policy.maxDurationMs) {
        const retryAfter = error instanceof VendorError ? error.retryAfterMs : undefined;
        journal.scheduleRetry(
          delivery.id,
          now + backoffDelayMs(policy.backoff, attempts, retryAfter),
          message,
        );
        outcome("retry");
        log.info(
          {
            correlationId: delivery.meta.correlationId,
            flow: delivery.flow,
            attempt: attempts,
            err: message,
          },
          "delivery failed; retrying",
        );
        return;
      }
      if (policy.deadLetters) {
        journal.deadLetter(delivery.id, message);
        outcome("dead");
      } else {
        journal.complete(delivery.id);
        outcome("dropped");
      }
      log.warn(
        {
          correlationId: delivery.meta.correlationId,
          flow: delivery.flow,
          delivery: delivery.id,
          attempts,
          err: message,
        },
        "delivery failed for good",
      );
    }
  }
}

/** An error's message; JSONata throws plain objects (`{ code, message, position }`), not Errors. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}
