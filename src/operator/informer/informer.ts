import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { KubeObject } from "../../apiserver/types.js";
import type { KubeClient } from "../kube/kube-client.js";
import { isKubeApiError } from "../kube/kube-client.js";

/** Derives index values from an object, e.g. the Credential an Integration references. */
export type IndexFunction = (object: KubeObject) => string[];

export type InformerEvent = "add" | "update" | "delete";
export type InformerHandler = (object: KubeObject, previous: KubeObject | undefined) => void;

export interface InformerOptions {
  client: KubeClient;
  /** The collection to watch, e.g. `/apis/switchboard.dev/v1alpha1/integrations` (all namespaces). */
  path: string;
  indexes?: Record<string, IndexFunction>;
  /** A label selector to narrow what is listed and watched. */
  labelSelector?: string;
  /** Reconnect backoff after a failed list or watch. @default { initialMs: 200, maxMs: 30000 } */
  backoff?: { initialMs: number; maxMs: number };
  /** How long one watch request may stay open before it is renewed from the last resourceVersion. @default 300 */
  watchTimeoutSeconds?: number;
  /** Applied to every object before it is cached, e.g. to drop fields the controllers never read. */
  transform?: (object: KubeObject) => KubeObject;
  log: Logger;
}

/**
 * client-go's reflector and indexer in one: lists, then watches from the list's resourceVersion with
 * bookmarks; resumes from the last seen version when a watch ends; lists again on 410 Gone (emitting
 * what changed meanwhile, deletions included); backs off on errors. Controllers read the cache, never
 * the API server, and find dependents through indexes.
 */
export class Informer {
  readonly #cache = new Map<string, KubeObject>();
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  readonly #handlers: Record<InformerEvent, InformerHandler[]> = { add: [], update: [], delete: [] };
  readonly #options: InformerOptions;
  #resourceVersion = "";
  #stopWatch: (() => void) | undefined;
  #stopped = false;
  #synced = false;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #syncedWaiters: (() => void)[] = [];

  constructor(options: InformerOptions) {
    this.#options = options;
    for (const name of Object.keys(options.indexes ?? {})) this.#indexes.set(name, new Map());
  }

  on(event: InformerEvent, handler: InformerHandler): void {
    this.#handlers[event].push(handler);
  }

  get hasSynced(): boolean {
    return this.#synced;
  }

  get resourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Starts listing and watching; resolves once the first list is in the cache. */
  async start(): Promise<void> {
    this.#stopped = false;
    void this.#listAndWatch();
    if (!this.#synced) await new Promise<void>((resolve) => this.#syncedWaiters.push(resolve));
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#stopWatch?.();
    this.#stopWatch = undefined;
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#cache.get(keyOf(namespace, name));
  }

  list(): KubeObject[] {
    return [...this.#cache.values()];
  }

  /** Objects whose index `name` holds `value`. */
  byIndex(name: string, value: string): KubeObject[] {
    const keys = this.#indexes.get(name)?.get(value);
    if (!keys) return [];
    const objects: KubeObject[] = [];
    for (const key of keys) {
      const object = this.#cache.get(key);
      if (object) objects.push(object);
    }
    return objects;
  }

  async #listAndWatch(): Promise<void> {
    if (this.#stopped) return;
    try {
      const query: Record<string, string> = this.#options.labelSelector
        ? { labelSelector: this.#options.labelSelector }
        : {};
      const list = await this.#options.client.list(this.#options.path, query);
      this.#replace(list.items);
      this.#resourceVersion = list.resourceVersion;
      this.#markSynced();
      await this.#watch();
    } catch (error) {
      this.#retry(error, () => this.#listAndWatch());
    }
  }

  async #watch(): Promise<void> {
    if (this.#stopped) return;
    let gone = false;
    const query: Record<string, string | number | boolean> = {
      resourceVersion: this.#resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.#options.watchTimeoutSeconds ?? 300,
    };
    if (this.#options.labelSelector) query.labelSelector = this.#options.labelSelector;
    this.#stopWatch = await this.#options.client.watch(
      this.#options.path,
      query,
      (type, object) => {
        this.#failures = 0;
        if (type === "ERROR") {
          gone = (object as unknown as { code?: number }).code === 410;
          if (!gone)
            this.#options.log.warn({ path: this.#options.path, status: object }, "watch error event");
          return;
        }
        const version = object.metadata.resourceVersion;
        if (type === "BOOKMARK") {
          if (version) this.#resourceVersion = version;
          return;
        }
        if (type === "DELETED") this.#remove(object);
        else this.#upsert(object);
        if (version) this.#resourceVersion = version;
      },
      (error: unknown) => {
        this.#stopWatch = undefined;
        if (this.#stopped) return;
        if (gone || (error as { statusCode?: number } | null)?.statusCode === 410) {
          this.#options.log.info(
            { path: this.#options.path, resourceVersion: this.#resourceVersion },
            "watch expired (410), listing again",
          );
          void this.#listAndWatch();
        } else if (error && !isAbort(error)) {
          this.#retry(error, () => this.#watch());
        } else {
          // The server ended the watch (timeout, restart): resume from the last version seen.
          void this.#watch();
        }
      },
    );
  }

  #retry(error: unknown, again: () => Promise<void>): void {
    if (this.#stopped) return;
    const { initialMs, maxMs } = this.#options.backoff ?? { initialMs: 200, maxMs: 30_000 };
    const retryAfter =
      isKubeApiError(error) && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
    const delay = Math.max(
      retryAfter,
      Math.min(maxMs, initialMs * 2 ** this.#failures) * (0.8 + Math.random() * 0.4),
    );
    this.#failures++;
    this.#options.log.warn(
      { path: this.#options.path, err: error, retryInMs: Math.round(delay) },
      "list or watch failed",
    );
    const expired = isKubeApiError(error) && error.code === 410;
    this.#timer = setTimeout(() => void (expired ? this.#listAndWatch() : again()), delay);
  }

  /** Replaces the cache with a fresh list, emitting the differences as events. */
  #replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const object of items) {
      seen.add(keyOf(object.metadata.namespace, object.metadata.name ?? ""));
      this.#upsert(object);
    }
    for (const [key, object] of [...this.#cache]) if (!seen.has(key)) this.#remove(object);
  }

  #upsert(received: KubeObject): void {
    const object = this.#options.transform ? this.#options.transform(received) : received;
    const key = keyOf(object.metadata.namespace, object.metadata.name ?? "");
    const previous = this.#cache.get(key);
    if (
      previous &&
      previous.metadata.resourceVersion === object.metadata.resourceVersion &&
      isDeepStrictEqual(previous, object)
    )
      return;
    this.#cache.set(key, object);
    this.#index(key, previous, object);
    for (const handler of this.#handlers[previous ? "update" : "add"]) handler(object, previous);
  }

  #remove(object: KubeObject): void {
    const key = keyOf(object.metadata.namespace, object.metadata.name ?? "");
    const previous = this.#cache.get(key);
    if (!previous) return;
    this.#cache.delete(key);
    this.#index(key, previous, undefined);
    for (const handler of this.#handlers.delete) handler(object, previous);
  }

  #index(key: string, previous: KubeObject | undefined, next: KubeObject | undefined): void {
    for (const [name, fn] of Object.entries(this.#options.indexes ?? {})) {
      const index = this.#indexes.get(name);
      if (!index) continue;
      for (const value of previous ? fn(previous) : []) index.get(value)?.delete(key);
      for (const value of next ? fn(next) : []) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  #markSynced(): void {
    this.#synced = true;
    for (const resolve of this.#syncedWaiters.splice(0)) resolve();
  }
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}
