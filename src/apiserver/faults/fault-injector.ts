import { ApiError } from "../api-error.js";
import type { ResourceRequestInfo } from "../http/request-info.js";

/** Which requests a fault applies to; an absent field matches everything. */
export interface FaultMatch {
  verb?: ResourceRequestInfo["verb"];
  /** The plural resource, e.g. `integrations`. */
  resource?: string;
}

export interface FailureFault extends FaultMatch {
  /** How many matching requests fail before the fault is used up. */
  count: number;
  code: number;
  /** Sent as `Retry-After` and `details.retryAfterSeconds` (429s usually carry it). */
  retryAfterSeconds?: number;
  message?: string;
}

export interface LatencyFault extends FaultMatch {
  milliseconds: number;
}

/**
 * Failures the tests of clients (operators, informers) need to provoke: the next N requests of a
 * verb failing with a code, added latency, and every watch dropped at once.
 */
export class FaultInjector {
  readonly #failures: FailureFault[] = [];
  #latency: LatencyFault[] = [];

  constructor(private readonly dropWatchesNow: () => number) {}

  failNext(fault: FailureFault): void {
    this.#failures.push({ ...fault });
  }

  addLatency(fault: LatencyFault): void {
    this.#latency.push({ ...fault });
  }

  /** Ends every open watch; clients see their stream close and must resume. Returns how many. */
  dropWatches(): number {
    return this.dropWatchesNow();
  }

  clear(): void {
    this.#failures.length = 0;
    this.#latency = [];
  }

  /** The injected failure for this request, consuming one use of the fault, or undefined. */
  failureFor(info: ResourceRequestInfo): ApiError | undefined {
    const index = this.#failures.findIndex((f) => matches(f, info));
    if (index < 0) return undefined;
    const fault = this.#failures[index] as FailureFault;
    if (--fault.count <= 0) this.#failures.splice(index, 1);
    return ApiError.withCode(
      fault.code,
      fault.message ?? `injected fault: ${fault.code}`,
      fault.retryAfterSeconds,
    );
  }

  latencyFor(info: ResourceRequestInfo): number {
    let total = 0;
    for (const fault of this.#latency) if (matches(fault, info)) total += fault.milliseconds;
    return total;
  }

  get active(): boolean {
    return this.#failures.length > 0 || this.#latency.length > 0;
  }
}

function matches(fault: FaultMatch, info: ResourceRequestInfo): boolean {
  return (
    (fault.verb === undefined || fault.verb === info.verb) &&
    (fault.resource === undefined || fault.resource === info.resource)
  );
}
