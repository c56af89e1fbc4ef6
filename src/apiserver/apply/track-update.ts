import type { KubeObject, ManagedFieldsEntry } from "../types.js";
import { jsonEqual } from "./json-value.js";
import type { Managers } from "./managed-fields.js";
import { decodeManagedFields, encodeManagedFields, sameOwnership } from "./managed-fields.js";
import { withoutManagedFields } from "./object-body.js";
import type { ResetFields } from "./reset-fields.js";
import { recordUpdate } from "./transfer-ownership.js";
import type { ObjectType } from "./type-model.js";

export interface TrackUpdateInput {
  /** The stored object; undefined on create. */
  before: KubeObject | undefined;
  /** The object about to be stored, with the managedFields the client sent, if any. */
  after: KubeObject;
  manager: string;
  /** The version the request is made at; the manager's entry records it. */
  apiVersion: string;
  subresource?: string | undefined;
  typeInfo: ObjectType;
  now: Date;
  /** @default "none" */
  resetFields?: ResetFields | undefined;
}

/**
 * managedFields for the result of a write that is not an apply (create, update, JSON, merge or strategic
 * merge patch), as kube's fieldmanager computes them: what the write added or changed becomes the
 * manager's `Update` entry for its version and stops being anyone else's; what it removed stops being
 * anyone's; entries left empty go. On create everything is the creator's.
 *
 * What the client sends counts as kube counts it: `managedFields: []` stops tracking (the result has
 * none, and later updates add none until an apply); other valid managedFields replace the stored ones
 * before the write is tracked; invalid or absent ones are ignored. The status subresource ignores them.
 *
 * Returns undefined when the object carries no managedFields, and the stored array itself when
 * nothing changed, so an unchanged write stays byte-identical.
 */
export function trackUpdate(input: TrackUpdateInput): ManagedFieldsEntry[] | undefined {
  const { before, after, typeInfo: type, now, ...writer } = input;
  const reset = writer.resetFields ?? "none";
  const previous = before?.metadata.managedFields;
  const managers = startingManagers(previous, after.metadata.managedFields, writer.subresource !== undefined);
  // kube's skipNonApplied: an object nobody tracks stays untracked until someone applies to it.
  if (managers.size === 0 && before !== undefined) return undefined;

  const original = previous === undefined ? undefined : decodeOrNothing(previous, true);
  const beforeBody = before ? withoutManagedFields(before) : type.zero;
  const afterBody = withoutManagedFields(after);
  recordUpdate(managers, beforeBody, afterBody, {
    manager: writer.manager,
    apiVersion: writer.apiVersion,
    subresource: writer.subresource,
    type,
    reset,
    now,
  });
  if (original && jsonEqual(beforeBody, afterBody) && sameOwnership(original, managers)) return previous;
  return managers.size > 0 ? encodeManagedFields(managers, now) : undefined;
}

function startingManagers(
  previous: ManagedFieldsEntry[] | undefined,
  sent: ManagedFieldsEntry[] | undefined,
  subresource: boolean,
): Managers {
  if (subresource || sent === previous) return decodeOrNothing(previous, true);
  if (isReset(sent)) return new Map();
  // What the client sent back unchanged is what is stored: decode that, its sets are cached.
  if (sent !== undefined && previous !== undefined && jsonEqual(sent, previous))
    return decodeOrNothing(previous, true);
  const fromClient = decodeOrNothing(sent, false);
  return fromClient.size > 0 ? fromClient : decodeOrNothing(previous, true);
}

/** kube's `isResetManagedFields`: an empty list, or a list of one empty entry. */
function isReset(sent: ManagedFieldsEntry[] | undefined): boolean {
  if (!Array.isArray(sent)) return false;
  if (sent.length === 0) return true;
  return sent.length === 1 && jsonEqual(sent[0], {});
}

function decodeOrNothing(entries: ManagedFieldsEntry[] | undefined, stored: boolean): Managers {
  try {
    return decodeManagedFields(entries, stored);
  } catch {
    // kube ignores managedFields it cannot decode rather than fail the write.
    return new Map();
  }
}
