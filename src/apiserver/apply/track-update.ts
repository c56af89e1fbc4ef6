import { isDeepStrictEqual } from "node:util";
import type { KubeObject, ManagedFieldsEntry } from "../types.js";
import { valueAt } from "./field-path.js";
import type { ResetFields } from "./field-set.js";
import { fieldSetOf } from "./field-set.js";
import { decodeManagedFields, encodeManagedFields, sameOwner } from "./managed-fields.js";
import type { TypeNode } from "./type-node.js";

export interface UpdateInput {
  before: KubeObject | undefined;
  after: KubeObject;
  manager: string;
  subresource: string | undefined;
  type: TypeNode;
  time: string;
  reset: ResetFields;
}

/**
 * managedFields after a non-apply write (create, update, JSON or merge patch): fields the write added
 * or changed are owned by its manager as an `Update` entry and taken from every other manager; fields
 * it removed are dropped from every entry. A client that sends `managedFields: []` resets tracking.
 */
export function trackUpdate(input: UpdateInput): ManagedFieldsEntry[] | undefined {
  const { before, after, manager, subresource, type, reset } = input;
  const sent = after.metadata.managedFields;
  const previous = before?.metadata.managedFields;
  if (sent !== undefined && sent !== previous && !isDeepStrictEqual(sent, previous)) {
    if (sent.length > 0) return sent;
  }
  const reseted = sent !== undefined && sent.length === 0 && (previous?.length ?? 0) > 0;
  const owners = reseted ? [] : decodeManagedFields(previous);
  const afterPaths = fieldSetOf(after, type, reset);
  const beforePaths = before && !reseted ? fieldSetOf(before, type, reset) : new Set<string>();
  const changed = new Set<string>();
  for (const path of afterPaths) {
    if (!beforePaths.has(path) || !isDeepStrictEqual(valueAt(before, path), valueAt(after, path)))
      changed.add(path);
  }
  if (changed.size === 0 && beforePaths.size === afterPaths.size && !reseted) return previous;
  for (const owner of owners) {
    for (const path of owner.paths)
      if (!afterPaths.has(path) && pathInScope(path, reset)) owner.paths.delete(path);
    for (const path of changed) owner.paths.delete(path);
  }
  if (changed.size > 0) {
    const mine = owners.find((o) => sameOwner(o, manager, "Update", subresource));
    if (mine) {
      for (const path of changed) mine.paths.add(path);
      mine.time = input.time;
      mine.apiVersion = after.apiVersion;
    } else {
      owners.push({
        manager,
        operation: "Update",
        apiVersion: after.apiVersion,
        subresource,
        time: input.time,
        paths: changed,
        original: undefined,
      });
    }
  }
  return encodeManagedFields(owners);
}

/** Whether a path is in the part of the object this write could change. */
function pathInScope(path: string, reset: ResetFields): boolean {
  const isStatus = path === "f:status" || path.startsWith("f:status\u0000");
  return reset === "spec" ? isStatus : reset === "status" ? !isStatus : true;
}
