import { capUpdateManagers } from "./cap-managers.js";
import type { Comparison } from "./compare-values.js";
import { compareValues } from "./compare-values.js";
import type { FieldSet } from "./field-set.js";
import type { Managers } from "./managed-fields.js";
import { managerIdentifier, rfc3339 } from "./managed-fields.js";
import type { ResetFields } from "./reset-fields.js";
import { inScope, withoutServerOwned } from "./reset-fields.js";
import type { ObjectType } from "./type-model.js";

/** A comparison restricted to what the write may change, as kube excludes reset fields from it. */
export function compareInScope(
  before: unknown,
  after: unknown,
  type: ObjectType,
  reset: ResetFields,
): Comparison {
  const change = compareValues(before, after, type);
  return {
    added: inScope(change.added, reset),
    modified: inScope(change.modified, reset),
    removed: inScope(change.removed, reset),
  };
}

/**
 * structured-merge-diff's `Updater.update`: the fields a write modified or added are taken from every
 * manager but the writer (conflicts, returned instead of taken when not forced), and the fields it
 * removed are no longer anyone's. Managers left owning nothing are dropped.
 */
export function transferOwnership(
  managers: Managers,
  change: Comparison,
  writer: string | undefined,
  force: boolean,
): Map<string, FieldSet> {
  const changed = change.modified.union(change.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, m] of managers) {
    if (id === writer) continue;
    const conflict = m.set.intersection(changed);
    if (!conflict.isEmpty()) conflicts.set(id, conflict);
  }
  if (!force && conflicts.size > 0) return conflicts;
  for (const [id, m] of managers) {
    if (id === writer) continue;
    const taken = conflicts.get(id);
    const set = (taken ? m.set.difference(taken) : m.set).difference(change.removed);
    if (set.isEmpty()) managers.delete(id);
    else if (set !== m.set) managers.set(id, { ...m, set });
  }
  return conflicts;
}

export interface UpdateWriter {
  manager: string;
  apiVersion: string;
  subresource: string | undefined;
  type: ObjectType;
  reset: ResetFields;
  now: Date;
}

/**
 * Records a non-apply write (kube's managedFieldsUpdater over the structured-merge updater): what it
 * changed is taken from everyone else and added to the writer's `Update` entry for its version, whose
 * time is then now. Writes that change nothing leave the writer's entry as it was.
 */
export function recordUpdate(
  managers: Managers,
  before: unknown,
  after: unknown,
  writer: UpdateWriter,
): void {
  const change = compareInScope(before, after, writer.type, writer.reset);
  transferOwnership(managers, change, undefined, true);
  const taken = withoutServerOwned(change.modified.union(change.added).difference(change.removed));
  if (!taken.isEmpty()) {
    const id = managerIdentifier(writer.manager, "Update", writer.apiVersion, writer.subresource);
    const previous = managers.get(id);
    managers.set(id, {
      manager: writer.manager,
      operation: "Update",
      apiVersion: writer.apiVersion,
      subresource: writer.subresource,
      time: rfc3339(writer.now),
      set: previous ? taken.union(previous.set) : taken,
      stored: previous?.stored,
    });
  }
  capUpdateManagers(managers);
}
