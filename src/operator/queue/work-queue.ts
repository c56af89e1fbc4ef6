/** What a reconcile asks of the queue when it succeeds: nothing, or to look again after a while. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

export type Reconcile = (key: string) => Promise<ReconcileResult | void>;

export interface WorkQueueOptions {
  reconcile: Reconcile;
  /** Keys processed at once; one key is never processed by two workers at a time. @default 4 */
  workers?: number;
  /** Per-key exponential backoff after failures. @default { baseMs: 5, maxMs: 1000 * 60 * 16 } (client-go's) */
  backoff?: { baseMs: number; maxMs: number };
  /** Told about queue activity, for the controller-runtime metrics. */
  observer?: WorkQueueObserver;
}

export interface WorkQueueObserver {
  added?(key: string): void;
  depth?(depth: number): void;
  retried?(key: string): void;
  /** How long a key waited between being added and a worker taking it. */
  waited?(seconds: number): void;
  reconciled?(
    key: string,
    outcome: "success" | "error" | "requeue_after",
    seconds: number,
    error?: unknown,
  ): void;
}

/**
 * client-go's rate-limited work queue, as controller-runtime uses it: a key waits at most once (adds
 * while it waits are merged), is processed by one worker at a time (an add while it is processed runs
 * it again afterwards), failures come back with per-key exponential backoff, and a reconcile can ask
 * to be run again after a delay.
 */
export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #addedAt = new Map<string, number>();
  readonly #options: Required<Omit<WorkQueueOptions, "observer">> & { observer: WorkQueueObserver };
  #running = 0;
  #shuttingDown = false;
  #idle: (() => void)[] = [];

  constructor(options: WorkQueueOptions) {
    this.#options = {
      workers: options.workers ?? 4,
      backoff: options.backoff ?? { baseMs: 5, maxMs: 16 * 60 * 1000 },
      reconcile: options.reconcile,
      observer: options.observer ?? {},
    };
  }

  get depth(): number {
    return this.#queue.length;
  }

  add(key: string): void {
    if (this.#shuttingDown) return;
    this.#options.observer.added?.(key);
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#addedAt.set(key, performance.now());
    this.#options.observer.depth?.(this.#queue.length);
    this.#pump();
  }

  /** Adds the key after `ms`; an earlier pending delay for the key is kept if it fires sooner. */
  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const existing = this.#timers.get(key);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Stops taking new work, drops delayed retries, and resolves once in-flight reconciles finish. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    this.#queued.clear();
    if (this.#running === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#options.workers && this.#queue.length > 0) {
      const key = this.#queue.shift() as string;
      this.#queued.delete(key);
      this.#options.observer.depth?.(this.#queue.length);
      const added = this.#addedAt.get(key);
      this.#addedAt.delete(key);
      if (added !== undefined) this.#options.observer.waited?.((performance.now() - added) / 1000);
      this.#processing.add(key);
      this.#running++;
      void this.#work(key);
    }
  }

  async #work(key: string): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.#options.reconcile(key);
      this.#failures.delete(key);
      const after = result?.requeueAfterMs;
      this.#options.observer.reconciled?.(
        key,
        after !== undefined ? "requeue_after" : "success",
        (performance.now() - started) / 1000,
      );
      if (after !== undefined) this.addAfter(key, after);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      this.#options.observer.reconciled?.(key, "error", (performance.now() - started) / 1000, error);
      this.#options.observer.retried?.(key);
      const { baseMs, maxMs } = this.#options.backoff;
      this.addAfter(key, Math.min(maxMs, baseMs * 2 ** (failures - 1)));
    } finally {
      this.#processing.delete(key);
      this.#running--;
      if (this.#dirty.delete(key)) this.add(key);
      this.#pump();
      if (this.#running === 0 && this.#shuttingDown) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
