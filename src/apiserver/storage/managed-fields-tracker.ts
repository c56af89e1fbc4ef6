import { mergePatch } from "../patch/merge-patch.js";
import type { KubeObject } from "../types.js";
import type { ManagedFieldsTracker } from "./managed-fields-port.js";

export function managedFieldsTracker(): ManagedFieldsTracker {
  return {
    trackUpdate: ({ before, after }) => {
      const result = structuredClone(after);
      if (before?.metadata.managedFields) result.metadata.managedFields = before.metadata.managedFields;
      return result;
    },
    apply: ({ live, applied }) => mergePatch(live ?? {}, applied) as KubeObject,
  };
}
