import { ApiError } from "../api-error.js";
import type { KubeObject } from "../types.js";
import { conflictError } from "./conflict-error.js";
import { FieldSet } from "./field-set.js";
import type { JsonMap } from "./json-value.js";
import { cloneJson, isMap, jsonEqual } from "./json-value.js";
import type { Managers } from "./managed-fields.js";
import {
  decodeManagedFields,
  encodeManagedFields,
  managerIdentifier,
  rfc3339,
  sameOwnership,
} from "./managed-fields.js";
import { fieldsStillAsLastApplied, kubectlManager, withLastAppliedSynced } from "./last-applied.js";
import { mergeValues } from "./merge-values.js";
import { isKnownNoop, noopKey, rememberNoop } from "./noop-memo.js";
import { withoutManagedFields } from "./object-body.js";
import { pruneUnapplied } from "./prune.js";
import type { ResetFields } from "./reset-fields.js";
import { inScope, topLevelInScope, withoutServerOwned } from "./reset-fields.js";
import { toFieldSet } from "./to-field-set.js";
import { compareInScope, recordUpdate, transferOwnership } from "./transfer-ownership.js";
import type { ObjectType } from "./type-model.js";

export interface ServerSideApplyInput {
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (the request body), at `apiVersion`. */
  applied: KubeObject;
  /** The `fieldManager` of the request. */
  manager: string;
  /** `force=true`: take the fields other managers own instead of failing with a conflict. */
  force: boolean;
  /** The version the request is made at; the manager's entry records it. */
  apiVersion: string;
  /** `status` for the status subresource; recorded on the manager's entry. */
  subresource?: string | undefined;
  typeInfo: ObjectType;
  now: Date;
  /** @default "none" */
  resetFields?: ResetFields | undefined;
}

/** Fields of an applied configuration's metadata that the server owns: never merged into the object. */
const serverMetadata = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
];

/**
 * Server-side apply, as kube-apiserver's fieldmanager and structured-merge-diff do it. The
 * configuration's fields become the manager's `Apply` entry; its values win over the live ones; what
 * the manager applied before and no longer applies is removed unless someone else owns it; changing a
 * field another manager owns is a 409 conflict unless forced, when the field changes hands; applying a
 * value equal to the live one shares the field. Returns the object to store with its managedFields.
 *
 * An apply that changes nothing returns a copy of `live`, byte for byte, so the caller can skip the
 * write. The result never shares anything with the inputs.
 */
export function serverSideApply(input: ServerSideApplyInput): KubeObject {
  const { live, applied, typeInfo: type, now } = input;
  const reset = input.resetFields ?? "none";
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null)
    throw ApiError.badRequest("metadata.managedFields must be nil");
  if (applied.apiVersion !== input.apiVersion) {
    throw ApiError.badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${input.apiVersion}`,
    );
  }

  const memoKey = live ? noopKey(applied, input.manager, input.apiVersion, input.subresource, reset) : "";
  if (live && isKnownNoop(live, type, memoKey)) return cloneJson(live);

  const configuration = withoutServerMetadata(applied);
  const problems: string[] = [];
  const appliedFields = toFieldSet(configuration, type, problems);
  if (problems.length > 0) throw typedPatchError(applied, problems);
  const scoped = withoutServerOwned(inScope(appliedFields, reset));

  const liveBody = live ? withoutManagedFields(live) : {};
  const managers = decodeLive(live);
  const before = new Map(managers);
  if (live && managers.size === 0) {
    // kube starts tracking an object nobody tracked with an updater that owns all of it.
    recordUpdate(managers, type.zero, liveBody, {
      manager: "before-first-apply",
      apiVersion: input.apiVersion,
      subresource: input.subresource,
      type,
      reset,
      now,
    });
  }

  const id = managerIdentifier(input.manager, "Apply", input.apiVersion, input.subresource);
  const previous = managers.get(id);
  // The same set as last time is kept as the same instance: later checks then compare by identity.
  const fields = previous?.set.equals(scoped) ? previous.set : scoped;
  managers.set(id, {
    manager: input.manager,
    operation: "Apply",
    apiVersion: input.apiVersion,
    subresource: input.subresource,
    time: rfc3339(now),
    set: fields,
    stored: previous?.stored,
  });

  let merged = mergeValues(liveBody, inScopeOnly(configuration, reset), type);
  merged = pruneUnapplied(merged, previous?.set, fields, ownedByAnyone(managers), type);

  const change = compareInScope(liveBody, merged, type, reset);
  const conflicts = transferOwnership(managers, change, id, input.force);
  if (!input.force && conflicts.size > 0) {
    const remaining = conflictsKubectlMayNotTake(conflicts, live, input, type);
    if (remaining.size > 0) throw conflictError(remaining, managers);
    transferOwnership(managers, change, id, true);
  }
  if (fields.isEmpty()) managers.delete(id);
  // Outside of field management in kube too: the annotation changes no one's ownership.
  if (input.manager === kubectlManager) merged = withLastAppliedSynced(merged as JsonMap, applied);

  // kube keeps the old managedFields, timestamps included, when a write changes nothing.
  if (live && jsonEqual(liveBody, merged) && sameOwnership(before, managers)) {
    rememberNoop(live, type, memoKey);
    return cloneJson(live);
  }
  return withManagedFields(merged, managers, now);
}

/**
 * kube lets kubectl's server-side apply take, without a conflict, the fields it still owns through its
 * own client-side apply: those holding the values of the last-applied annotation.
 */
function conflictsKubectlMayNotTake(
  conflicts: Map<string, FieldSet>,
  live: KubeObject | undefined,
  input: ServerSideApplyInput,
  type: ObjectType,
): Map<string, FieldSet> {
  const allowed =
    live && input.manager === kubectlManager
      ? fieldsStillAsLastApplied(live, input.apiVersion, type)
      : undefined;
  if (!allowed) return conflicts;
  const remaining = new Map<string, FieldSet>();
  for (const [id, set] of conflicts) {
    const rest = set.difference(allowed);
    if (!rest.isEmpty()) remaining.set(id, rest);
  }
  return remaining;
}

function decodeLive(live: KubeObject | undefined): Managers {
  try {
    return decodeManagedFields(live?.metadata.managedFields, true);
  } catch (error) {
    throw new ApiError(500, "", `failed to decode managed fields: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
}

function withoutServerMetadata(applied: KubeObject): JsonMap {
  const metadata: JsonMap = { ...applied.metadata };
  for (const field of serverMetadata) delete metadata[field];
  return { ...applied, metadata };
}

/** The part of a configuration the write may set: without status, or status alone. */
function inScopeOnly(configuration: JsonMap, reset: ResetFields): JsonMap {
  if (reset === "none") return configuration;
  const part: JsonMap = {};
  for (const [field, value] of Object.entries(configuration))
    if (topLevelInScope(field, reset)) part[field] = value;
  return part;
}

function ownedByAnyone(managers: Managers): FieldSet {
  let owned = FieldSet.empty;
  for (const m of managers.values()) owned = owned.union(m.set);
  return owned;
}

function withManagedFields(merged: unknown, managers: Managers, now: Date): KubeObject {
  const object = cloneJson(merged) as KubeObject;
  if (!isMap(object.metadata)) object.metadata = {};
  if (managers.size > 0) object.metadata.managedFields = cloneJson(encodeManagedFields(managers, now));
  else delete object.metadata.managedFields;
  return object;
}

/** kube's answer to a configuration that does not fit the kind's schema: a 500 with the problems. */
function typedPatchError(applied: KubeObject, problems: string[]): ApiError {
  const [group, version] = applied.apiVersion.includes("/")
    ? applied.apiVersion.split("/", 2)
    : ["", applied.apiVersion];
  const object = `${applied.metadata.namespace ?? ""}/${applied.metadata.name ?? ""}; ${group ?? ""}/${version ?? ""}, Kind=${applied.kind}`;
  const detail = problems.length === 1 ? problems[0] : ["errors:", ...problems].join("\n  ");
  return new ApiError(500, "", `failed to create typed patch object (${object}): ${detail}`);
}
