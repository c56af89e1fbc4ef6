import { isDeepStrictEqual } from "node:util";
import { ApiError } from "../api-error.js";
import type { KubeObject } from "../types.js";
import { displayPath, removeAt, separator, valueAt } from "./field-path.js";
import type { ResetFields } from "./field-set.js";
import { fieldSetOf } from "./field-set.js";
import type { Ownership } from "./managed-fields.js";
import { decodeManagedFields, encodeManagedFields, sameOwner, sameSet } from "./managed-fields.js";
import { mergeValue } from "./merge.js";
import type { TypeNode } from "./type-node.js";

export interface ApplyInput {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  subresource: string | undefined;
  type: TypeNode;
  /** RFC 3339 time for entries that change. */
  time: string;
  reset: ResetFields;
}

const mergedMetadata = ["labels", "annotations", "finalizers", "ownerReferences"] as const;

/**
 * Server-side apply as kube's fieldmanager and structured-merge-diff do it: the configuration's
 * fields become the manager's Apply set; values it would change in fields other managers own are
 * conflicts (409) unless forced, in which case ownership moves; fields the manager applied before
 * and no longer does are removed unless someone else owns them. An unchanged configuration returns
 * the live object unchanged.
 */
export function serverSideApply(input: ApplyInput): KubeObject {
  const { live, manager, subresource, type } = input;
  const config = configurationPart(input.applied, input.reset);
  const applyPaths = fieldSetOf(config, type, input.reset);
  const owners = decodeManagedFields(live?.metadata.managedFields);
  const mine = owners.find((o) => sameOwner(o, manager, "Apply", subresource));
  const leaves = leafPaths(applyPaths);

  const conflicts: { owner: Ownership; path: string }[] = [];
  for (const owner of owners) {
    if (owner === mine) continue;
    for (const path of leaves) {
      if (owner.paths.has(path) && !isDeepStrictEqual(valueAt(live, path), valueAt(config, path)))
        conflicts.push({ owner, path });
    }
  }
  if (conflicts.length > 0 && !input.force) throw conflictError(conflicts);
  for (const { owner, path } of conflicts) owner.paths.delete(path);

  const empty: KubeObject = { apiVersion: input.applied.apiVersion, kind: input.applied.kind, metadata: {} };
  const merged = structuredClone(live ?? empty);
  if (!live) {
    merged.metadata.name = input.applied.metadata.name;
    if (input.applied.metadata.namespace) merged.metadata.namespace = input.applied.metadata.namespace;
  }
  for (const [key, value] of Object.entries(config)) {
    if (key === "metadata") {
      const meta = value as Record<string, unknown>;
      for (const field of mergedMetadata) {
        if (meta[field] !== undefined)
          merged.metadata[field] = mergeValue(
            merged.metadata[field],
            meta[field],
            type.child("metadata").child(field),
          ) as never;
      }
    } else if (key !== "apiVersion" && key !== "kind")
      merged[key] = mergeValue(merged[key], value, type.child(key));
  }

  const removed = [...(mine?.paths ?? [])].filter(
    (path) => !applyPaths.has(path) && !owners.some((o) => o !== mine && o.paths.has(path)),
  );
  // Shallowest first: a keyed element goes whole before its key fields would be needed to find it.
  removed.sort((a, b) => a.split(separator).length - b.split(separator).length);
  for (const path of removed) removeAt(merged, path);
  cleanEmptyMetadata(merged);

  if (mine) {
    if (!sameSet(mine.paths, applyPaths) || mine.apiVersion !== input.applied.apiVersion) {
      mine.paths = applyPaths;
      mine.time = input.time;
      mine.apiVersion = input.applied.apiVersion;
    }
  } else {
    owners.push({
      manager,
      operation: "Apply",
      apiVersion: input.applied.apiVersion,
      subresource,
      time: input.time,
      paths: applyPaths,
      original: undefined,
    });
  }
  const managedFields = encodeManagedFields(owners);
  if (managedFields) merged.metadata.managedFields = managedFields;
  else delete merged.metadata.managedFields;
  return live && isDeepStrictEqual(merged, live) ? live : merged;
}

/** The part of an applied configuration a write may set: without status, or only status. */
function configurationPart(applied: KubeObject, reset: ResetFields): Record<string, unknown> {
  const { status, ...rest } = applied;
  if (reset === "spec") return status === undefined ? {} : { status };
  if (reset === "status") return rest;
  return { ...applied };
}

/** Paths no other path extends: the ones whose values can conflict. */
function leafPaths(paths: Set<string>): string[] {
  const prefixes = new Set<string>();
  for (const path of paths) {
    let index = path.lastIndexOf(separator);
    while (index > 0) {
      prefixes.add(path.slice(0, index));
      index = path.lastIndexOf(separator, index - 1);
    }
  }
  return [...paths].filter((p) => !prefixes.has(p));
}

function cleanEmptyMetadata(object: KubeObject): void {
  for (const field of mergedMetadata) {
    const value = object.metadata[field];
    if (value && typeof value === "object" && Object.keys(value).length === 0) delete object.metadata[field];
  }
}

/** kube's conflict error: one cause per field, managers printed as the fieldmanager prints them. */
function conflictError(conflicts: { owner: Ownership; path: string }[]): ApiError {
  const describe = (owner: Ownership): string =>
    owner.operation === "Update" ? `"${owner.manager}" using ${owner.apiVersion}` : `"${owner.manager}"`;
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts as [{ owner: Ownership; path: string }];
    message = `Apply failed with 1 conflict: conflict with ${describe(only.owner)}: ${displayPath(only.path)}`;
  } else {
    const byManager = new Map<string, { owner: Ownership; paths: string[] }>();
    for (const { owner, path } of conflicts) {
      const key = describe(owner);
      const entry = byManager.get(key) ?? { owner, paths: [] };
      entry.paths.push(displayPath(path));
      byManager.set(key, entry);
    }
    const lines: string[] = [];
    for (const key of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${key}:`);
      for (const path of byManager.get(key)?.paths ?? []) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map(({ owner, path }) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describe(owner)}`,
      field: displayPath(path),
    })),
  });
}
