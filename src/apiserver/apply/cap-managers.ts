import { compareCodePoints } from "./go-text.js";
import type { Managers } from "./managed-fields.js";
import { identifierOf, managerIdentifier, unixSeconds } from "./managed-fields.js";

/** kube's `DefaultMaxUpdateManagers`: more updaters than this and the oldest are merged. */
export const maxUpdateManagers = 10;
const bucketName = "ancient-changes";

/**
 * kube's capManagersManager: when more than ten updaters own fields, the oldest are merged, per
 * version, into an `ancient-changes` entry, so that managedFields cannot grow without bound.
 */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === "Update");
  if (updaters.length <= maxUpdateManagers) return;
  updaters.sort(
    ([idA, a], [idB, b]) => unixSeconds(a.time) - unixSeconds(b.time) || compareCodePoints(idA, idB),
  );
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [id, m] of updaters) {
    if (length <= maxUpdateManagers) break;
    const bucket = managerIdentifier(bucketName, "Update", m.apiVersion, undefined);
    const first = firstOfVersion.get(m.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(m.apiVersion, id);
      continue;
    }
    let merged = managers.get(bucket);
    if (!merged) {
      const firstManager = managers.get(first);
      if (!firstManager) continue;
      managers.delete(first);
      merged = {
        ...firstManager,
        manager: bucketName,
        subresource: undefined,
        stored: undefined,
      };
      managers.set(identifierOf(merged), merged);
    }
    managers.set(bucket, {
      ...merged,
      set: m.set.union(merged.set),
      apiVersion: m.apiVersion,
      // The time of the more recent update merged in.
      time: m.time,
      stored: undefined,
    });
    managers.delete(id);
    length--;
  }
}
