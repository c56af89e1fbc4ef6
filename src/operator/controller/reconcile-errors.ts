/**
 * Reconcile errors classified by what happens next, as Flux does: a stalled object needs a person
 * (Warning event, `Stalled` condition, no retry until the object changes); a waiting one needs
 * something else to happen first (requeue after a delay, no error counted); anything else is
 * transient and retried with backoff.
 */
const stalledBrand = Symbol.for("switchboard.dev/StalledError");
const waitingBrand = Symbol.for("switchboard.dev/WaitingError");

export class StalledError extends Error {
  readonly [stalledBrand] = true;

  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "StalledError";
  }
}

export class WaitingError extends Error {
  readonly [waitingBrand] = true;

  constructor(
    readonly reason: string,
    message: string,
    readonly requeueAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "WaitingError";
  }
}

export function isStalledError(error: unknown): error is StalledError {
  return (
    typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[stalledBrand] === true
  );
}

export function isWaitingError(error: unknown): error is WaitingError {
  return (
    typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[waitingBrand] === true
  );
}
