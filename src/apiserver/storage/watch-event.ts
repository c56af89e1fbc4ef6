import type { KubeObject } from "../types.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/** One change to one stored object, as kept in a collection's history and fanned out to watchers. */
export interface StoredEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The object before the change, so selector-filtered watches can turn a change into ADDED or DELETED. */
  previous: KubeObject | undefined;
  revision: number;
}
