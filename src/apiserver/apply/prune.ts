import type { FieldSet } from "./field-set.js";
import { removeItems } from "./remove-items.js";
import { toFieldSet, withNamedFieldsAsMembers } from "./to-field-set.js";
import type { ObjectType } from "./type-model.js";

/**
 * Removes what an applier applied last time and no longer applies, unless someone (another manager,
 * or the applier's new configuration) still owns it: structured-merge-diff's `prune`, with its two
 * corrections (`addBackOwnedItems`, `addBackDanglingItems`), so that a field or item goes only if it was
 * in the applier's last set and the removal does not take anything owned with it. Declared struct
 * fields count as members of the last set, so a struct left with nothing anyone owns goes with it.
 *
 * `owned` is the union of every manager's set, the applier's new one included.
 */
export function pruneUnapplied(
  merged: unknown,
  lastApplied: FieldSet | undefined,
  applied: FieldSet,
  owned: FieldSet,
  type: ObjectType,
): unknown {
  // Nothing the applier owned is missing from what it applies now: nothing to remove. This is the
  // path of every unchanged re-apply, so it is kept free of walks over the object.
  if (!lastApplied || lastApplied.isEmpty() || lastApplied.isSubsetOf(applied)) return merged;
  const named = (set: FieldSet): FieldSet => withNamedFieldsAsMembers(set, type);
  const last = named(lastApplied);
  const mergedSet = named(toFieldSet(merged, type));

  const firstPass = removeItems(merged, last, type);
  const keptAfterFirst = named(toFieldSet(firstPass, type));
  const addedBack = removeItems(merged, mergedSet.difference(keptAfterFirst.union(named(owned))), type);
  const keptAfterAddBack = named(toFieldSet(addedBack, type));
  return removeItems(merged, mergedSet.difference(keptAfterAddBack).intersection(last), type);
}
