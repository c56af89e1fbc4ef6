/**
 * Work the in-process controllers do after a write, never inside it: keys are de-duplicated while
 * they wait, processed one at a time on a later tick, and a failure of one key does not stop the
 * others (the write that resolves it enqueues the key again).
 */
export class DeferredQueue {
  readonly #pending = new Set<string>();
  #scheduled = false;
  readonly #idle: (() => void)[] = [];

  constructor(private readonly process: (key: string) => Promise<void>) {}

  add(key: string): void {
    this.#pending.add(key);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.#drain());
  }

  /** Resolves once everything queued so far has been processed. */
  async settled(): Promise<void> {
    if (!this.#scheduled) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    for (const key of this.#pending) {
      this.#pending.delete(key);
      try {
        await this.process(key);
      } catch {
        // Conflicts and races resolve themselves: the write that wins enqueues the key again.
      }
    }
    this.#scheduled = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
