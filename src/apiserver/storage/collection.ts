import type { KubeObject } from "../types.js";
import type { StoredEvent } from "./watch-event.js";

export type EventListener = (event: StoredEvent) => void;

/**
 * The objects of one stored resource (all its served versions) and a bounded window of recent changes,
 * like kube-apiserver's watch cache: a watch may resume from any revision inside the window; older
 * revisions are answered with 410 Gone.
 */
export class Collection {
  readonly objects = new Map<string, KubeObject>();
  readonly #history: StoredEvent[];
  #historyStart = 0;
  #historyLength = 0;
  /** Every change after this revision is still in the window. */
  #compactedRevision: number;
  readonly #listeners = new Set<EventListener>();
  #sortedKeys: string[] | undefined;

  constructor(
    readonly key: string,
    readonly capacity: number,
    createdAtRevision: number,
  ) {
    this.#history = new Array<StoredEvent>(capacity);
    this.#compactedRevision = createdAtRevision;
  }

  get compactedRevision(): number {
    return this.#compactedRevision;
  }

  /** Keys in the order kube lists them (namespace, then name), cached until a key comes or goes. */
  sortedKeys(): string[] {
    this.#sortedKeys ??= [...this.objects.keys()].sort();
    return this.#sortedKeys;
  }

  record(event: StoredEvent): void {
    if (event.type === "ADDED" || event.type === "DELETED") this.#sortedKeys = undefined;
    if (this.#historyLength === this.capacity) {
      const evicted = this.#history[this.#historyStart];
      if (evicted) this.#compactedRevision = evicted.revision;
      this.#history[this.#historyStart] = event;
      this.#historyStart = (this.#historyStart + 1) % this.capacity;
    } else {
      this.#history[(this.#historyStart + this.#historyLength) % this.capacity] = event;
      this.#historyLength++;
    }
    for (const listener of this.#listeners) listener(event);
  }

  /** Events after `revision`, oldest first; undefined when the window no longer reaches back that far. */
  eventsAfter(revision: number): StoredEvent[] | undefined {
    if (revision < this.#compactedRevision) return undefined;
    const events: StoredEvent[] = [];
    for (let i = 0; i < this.#historyLength; i++) {
      const event = this.#history[(this.#historyStart + i) % this.capacity];
      if (event && event.revision > revision) events.push(event);
    }
    return events;
  }

  /** Forgets the window, as a restart of the watch cache would: every older revision is now too old. */
  compact(revision: number): void {
    this.#historyStart = 0;
    this.#historyLength = 0;
    this.#compactedRevision = revision;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
