import type { KubeObject } from "../types.js";
import type { ObjectType } from "./type-model.js";

/**
 * Applies that changed nothing, remembered by the stored object they were made to and everything else
 * their outcome depends on. An operator re-applies the same configuration to the same object over and
 * over; a hit answers that without merging or walking anything.
 *
 * Sound because stored objects are never changed in place (a write stores a new object), so the same
 * object with the same configuration, manager, version, subresource and type gives the same answer.
 * Whether the apply was forced does not matter: a no-op had no conflicts to force. Time does not
 * matter either: a no-op keeps the old timestamps.
 */
const noops = new WeakMap<KubeObject, Map<string, ObjectType>>();
const perObject = 8;

export function noopKey(
  applied: KubeObject,
  manager: string,
  apiVersion: string,
  subresource: string | undefined,
  reset: string,
): string {
  return JSON.stringify([manager, apiVersion, subresource ?? "", reset, applied]);
}

export function isKnownNoop(live: KubeObject, type: ObjectType, key: string): boolean {
  return noops.get(live)?.get(key) === type;
}

export function rememberNoop(live: KubeObject, type: ObjectType, key: string): void {
  let known = noops.get(live);
  if (!known) {
    known = new Map();
    noops.set(live, known);
  }
  if (known.size >= perObject) known.clear();
  known.set(key, type);
}
