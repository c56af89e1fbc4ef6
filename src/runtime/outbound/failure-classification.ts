import { EgressDeniedError } from "./egress-guard.js";

/**
 * Whether a failed attempt is worth another: network errors, timeouts, 408, 425, 429 and 5xx are;
 * other answers (400, 401 after a refresh, 403, 404, 422) and refused egress are not.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

export function isRetryableError(error: unknown): boolean {
  if (error instanceof EgressDeniedError) return false;
  if (error instanceof VendorError) return error.retryable;
  return true; // network errors, timeouts, resets
}

/** A vendor's non-2xx answer, with what the retry policy needs. The body is cut short and never holds secrets we sent. */
export class VendorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "VendorError";
  }

  get retryable(): boolean {
    return isRetryableStatus(this.status);
  }
}
