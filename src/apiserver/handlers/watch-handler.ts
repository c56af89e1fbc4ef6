import { ApiError } from "../api-error.js";
import type { Selection } from "../http/selection.js";
import type { TableConverter } from "../http/table.js";
import type { ResourceType } from "../resources/resource-type.js";
import { apiVersionOf } from "../resources/resource-type.js";
import { toServedVersion } from "../resources/version-conversion.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { StoredEvent, WatchEventType } from "../storage/watch-event.js";
import type { KubeObject } from "../types.js";
import type { RequestContext } from "./request-context.js";

export interface WatchSettings {
  /** How often an idle watch with `allowWatchBookmarks` gets a BOOKMARK. */
  bookmarkIntervalMs: number;
  /** How long a watch without `timeoutSeconds` stays open. */
  defaultTimeoutSeconds: number;
  /** A watcher that falls this far behind is closed, as kube closes watchers whose buffer is full. */
  maxBufferedBytes: number;
}

/** Open watches, so faults, CRD removal and shutdown can end them. */
export class WatchRegistry {
  readonly #open = new Map<() => void, ResourceType>();

  add(close: () => void, type: ResourceType): () => void {
    this.#open.set(close, type);
    return () => this.#open.delete(close);
  }

  closeAll(filter: (type: ResourceType) => boolean = () => true): number {
    let closed = 0;
    for (const [close, type] of [...this.#open]) {
      if (filter(type)) {
        close();
        closed++;
      }
    }
    return closed;
  }

  get size(): number {
    return this.#open.size;
  }
}

// One serialization per event and served version, shared by every watcher of that version.
const serialized = new WeakMap<StoredEvent, Map<string, string>>();

/**
 * A watch stream: newline-delimited JSON events over a chunked response, starting from the requested
 * resourceVersion (410 Gone, as an ERROR event, once it has left the window), with bookmarks and
 * selector transitions (an object that stops matching is seen as DELETED).
 */
export function handleWatch(
  context: RequestContext,
  store: ObjectStore,
  selection: Selection,
  tables: TableConverter,
  watches: WatchRegistry,
  settings: WatchSettings,
): void {
  const { type, query, response, request } = context;
  const collection = store.collection(type.storageKey);
  const table = context.representation === "table";
  let sentColumns = false;

  const write = (line: string): void => {
    response.write(line);
    if (response.writableLength > settings.maxBufferedBytes) close();
  };
  const encode = (
    eventType: WatchEventType | "BOOKMARK",
    object: KubeObject,
    event?: StoredEvent,
  ): string => {
    if (table && eventType !== "BOOKMARK") {
      const row = tables.row(type, toServedVersion(type, object), query.includeObject, Date.now());
      const body: Record<string, unknown> = {
        kind: "Table",
        apiVersion: "meta.k8s.io/v1",
        metadata: { resourceVersion: object.metadata.resourceVersion },
        rows: [row],
      };
      if (!sentColumns) body.columnDefinitions = tables.columnDefinitions(type);
      sentColumns = true;
      return `${JSON.stringify({ type: eventType, object: body })}\n`;
    }
    if (!event) return `${JSON.stringify({ type: eventType, object })}\n`;
    let byVersion = serialized.get(event);
    if (!byVersion) serialized.set(event, (byVersion = new Map<string, string>()));
    const version = apiVersionOf(type);
    let line = byVersion.get(`${eventType}|${version}`);
    if (line === undefined) {
      line = `${JSON.stringify({ type: eventType, object: toServedVersion(type, object) })}\n`;
      byVersion.set(`${eventType}|${version}`, line);
    }
    return line;
  };
  const deliver = (event: StoredEvent): void => {
    const now = selection.matches(event.object);
    const before = event.previous !== undefined && selection.matches(event.previous);
    let eventType: WatchEventType | undefined;
    if (event.type === "ADDED") eventType = now ? "ADDED" : undefined;
    else if (event.type === "DELETED") eventType = before || now ? "DELETED" : undefined;
    else if (now && before) eventType = "MODIFIED";
    else if (now) eventType = "ADDED";
    else if (before) eventType = "DELETED";
    if (eventType) write(encode(eventType, event.object, eventType === event.type ? event : undefined));
  };
  const bookmark = (initialEventsEnd = false): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(store.revision) };
    if (initialEventsEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
    write(
      `${JSON.stringify({ type: "BOOKMARK", object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata } })}\n`,
    );
  };

  let unsubscribe = (): void => {};
  let closed = false;
  const timers: NodeJS.Timeout[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    for (const timer of timers) clearTimeout(timer);
    if (!response.writableEnded) response.end();
  };
  const unregister = watches.add(close, type);
  request.on("close", close);
  response.on("error", close);

  const rv = query.resourceVersion;
  const initial = query.sendInitialEvents ?? (rv === undefined || rv === "0");
  let replay: StoredEvent[] = [];
  if (!initial && rv !== undefined && rv !== "0") {
    const events = collection.eventsAfter(Number(rv));
    if (!events) {
      const gone = ApiError.gone(`too old resource version: ${rv} (${collection.compactedRevision})`);
      response.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked" });
      response.write(`${JSON.stringify({ type: "ERROR", object: gone.toStatus() })}\n`);
      close();
      return;
    }
    replay = events;
  }

  response.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache",
  });
  response.flushHeaders();
  // Everything from here to the subscription runs synchronously: no write can slip in between.
  if (initial) {
    for (const key of collection.sortedKeys()) {
      const object = collection.objects.get(key);
      if (object && selection.matches(object)) write(encode("ADDED", object));
    }
    if (query.sendInitialEvents === true && query.allowWatchBookmarks) bookmark(true);
  } else {
    for (const event of replay) deliver(event);
  }
  unsubscribe = collection.subscribe(deliver);

  if (query.allowWatchBookmarks) {
    const interval = setInterval(() => bookmark(), settings.bookmarkIntervalMs);
    interval.unref();
    timers.push(interval);
  }
  const timeout = setTimeout(close, (query.timeoutSeconds ?? settings.defaultTimeoutSeconds) * 1000);
  timeout.unref();
  timers.push(timeout);
}
