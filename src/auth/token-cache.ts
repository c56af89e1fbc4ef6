/** A bearer token and when it stops being usable. */
export interface IssuedToken {
  value: string;
  /** Seconds it lives, when the issuer says. */
  expiresIn: number | undefined;
}

const unknownLifetimeMs = 3_600_000;

/**
 * One token shared by every request: fetched once however many ask at the same time (single flight),
 * renewed ahead of expiry (at 80% of its life, and at least a minute before the end), and dropped on
 * `invalidate` after a 401.
 */
export class TokenCache {
  #token: { value: string; renewAt: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
    /** Told of each token request and whether it succeeded, for metrics. */
    private readonly observe?: (ok: boolean) => void,
  ) {}

  get(): Promise<string> {
    if (this.#token && this.now() < this.#token.renewAt) return Promise.resolve(this.#token.value);
    this.#inFlight ??= this.fetchToken()
      .then((token) => {
        this.observe?.(true);
        const lifetimeMs = token.expiresIn !== undefined ? token.expiresIn * 1000 : unknownLifetimeMs;
        const early = Math.max(lifetimeMs * 0.2, Math.min(60_000, lifetimeMs / 2));
        this.#token = { value: token.value, renewAt: this.now() + lifetimeMs - early };
        return token.value;
      })
      .catch((error: unknown) => {
        this.observe?.(false);
        throw error;
      })
      .finally(() => (this.#inFlight = undefined));
    return this.#inFlight;
  }

  invalidate(): void {
    this.#token = undefined;
  }
}
