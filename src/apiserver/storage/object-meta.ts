import { randomInt, randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { KubeObject, ObjectMeta } from "../types.js";

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

// apiserver's names.SimpleNameGenerator: five characters from an alphabet without vowels or lookalikes.
const alphabet = "bcdfghjklmnpqrstvwxz2456789";

export function generateName(prefix: string): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += alphabet[randomInt(alphabet.length)];
  return prefix.slice(0, 63 - 5) + suffix;
}

/** Fields the server owns: kept from the stored object whatever the client sends. */
export function fillSystemFieldsOnCreate(meta: ObjectMeta, now: Date, tracksGeneration: boolean): ObjectMeta {
  const filled: ObjectMeta = { ...meta, uid: randomUUID(), creationTimestamp: timestamp(now) };
  delete filled.resourceVersion;
  delete filled.deletionTimestamp;
  delete filled.deletionGracePeriodSeconds;
  delete filled.selfLink;
  if (tracksGeneration) filled.generation = 1;
  else delete filled.generation;
  return filled;
}

export function keepSystemFieldsOnUpdate(meta: ObjectMeta, old: ObjectMeta): ObjectMeta {
  const kept: ObjectMeta = {
    ...meta,
    uid: old.uid,
    creationTimestamp: old.creationTimestamp,
  };
  for (const field of ["deletionTimestamp", "deletionGracePeriodSeconds", "generation"] as const) {
    if (old[field] === undefined) delete kept[field];
    else kept[field] = old[field] as never;
  }
  delete kept.selfLink;
  return kept;
}

/** Whether anything outside `metadata` and `status` changed: what bumps `metadata.generation`. */
export function specChanged(object: KubeObject, old: KubeObject): boolean {
  for (const key of new Set([...Object.keys(object), ...Object.keys(old)])) {
    if (key === "metadata" || key === "status" || key === "apiVersion" || key === "kind") continue;
    if (!isDeepStrictEqual(object[key], old[key])) return true;
  }
  return false;
}

/** Two stored forms are the same write when they differ at most in resourceVersion. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const { resourceVersion: _a, ...metaA } = a.metadata;
  const { resourceVersion: _b, ...metaB } = b.metadata;
  return isDeepStrictEqual({ ...a, metadata: metaA }, { ...b, metadata: metaB });
}
