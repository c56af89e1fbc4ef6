import { FieldSet } from "./field-set.js";
import type { PathElement } from "./path-element.js";

/**
 * Which part of an object a write can change, as kube's strategies declare with `GetResetFields`:
 * `"status"` for the main resource of a kind with a status subresource (status is ignored), `"spec"`
 * for the status subresource (everything but status is ignored), `"none"` otherwise.
 */
export type ResetFields = "status" | "spec" | "none";

/**
 * What kube's stripMetaManager takes out of a writer's set: type meta and the metadata the server owns
 * (and the deletion fields, which only the server's deletion path writes). A plain difference, as kube
 * does it, so `metadata.labels.x` stays while `metadata` itself goes. `generateName` is the client's and
 * stays tracked, as in kube.
 */
const serverOwned = FieldSet.fromPaths([
  ["f:apiVersion"],
  ["f:kind"],
  ["f:metadata"],
  ...[
    "name",
    "namespace",
    "creationTimestamp",
    "selfLink",
    "uid",
    "clusterName",
    "generation",
    "managedFields",
    "resourceVersion",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
  ].map((name): PathElement[] => ["f:metadata", `f:${name}`]),
]);

export function withoutServerOwned(set: FieldSet): FieldSet {
  return set.difference(serverOwned);
}

const status = FieldSet.fromPaths([["f:status"]]);

/** The paths of `set` the write may own, as kube filters managers' sets and comparisons with reset fields. */
export function inScope(set: FieldSet, reset: ResetFields): FieldSet {
  if (reset === "status") return set.recursiveDifference(status);
  if (reset === "spec") {
    const child = set.children.get("f:status");
    return FieldSet.of(
      set.members.has("f:status") ? new Set(["f:status"]) : new Set(),
      child ? new Map([["f:status", child]]) : new Map(),
    );
  }
  return set;
}

/** Whether a top-level field of a configuration or object is one the write may change. */
export function topLevelInScope(field: string, reset: ResetFields): boolean {
  if (reset === "status") return field !== "status";
  if (reset === "spec") return field === "status";
  return true;
}
