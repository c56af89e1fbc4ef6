import type { ResourceType } from "../resources/resource-type.js";
import type { SelectableFields } from "../selectors/selectable-fields.js";
import {
  builtinSelectableFields,
  compileFieldSelector,
  customResourceSelectableFields,
} from "../selectors/selectable-fields.js";
import { labelMatcher, parseLabelSelector } from "../selectors/label-selector.js";
import type { KubeObject } from "../types.js";
import type { Selection } from "./selection.js";

const fieldsByType = new WeakMap<ResourceType, SelectableFields>();

/** The field selector rules of a resource: the built-in kind's, or a CRD's `selectableFields`. */
function selectableFieldsOf(type: ResourceType): SelectableFields {
  let fields = fieldsByType.get(type);
  if (!fields) {
    fields =
      type.definedBy !== undefined
        ? customResourceSelectableFields(
            type.namespaced,
            type.selectableFields.map((path) => ({ jsonPath: `.${path}` })),
          )
        : builtinSelectableFields(type.group, type.kind);
    fieldsByType.set(type, fields);
  }
  return fields;
}

/** Parses the selectors of one list or watch request once; matching an object is then cheap. */
export function buildSelection(
  type: ResourceType,
  namespace: string | undefined,
  labelSelector: string,
  fieldSelector: string,
): Selection {
  const labels = labelMatcher(parseLabelSelector(labelSelector));
  const fields = compileFieldSelector(fieldSelector, selectableFieldsOf(type));
  const pinned = (field: string): string | undefined =>
    fields.requirements.find((r) => r.field === field && r.operator !== "!=")?.value;
  const pinnedNamespace = namespace ?? pinned("metadata.namespace");
  return {
    namespace: pinnedNamespace,
    name: pinned("metadata.name"),
    matches: (object: KubeObject) =>
      (pinnedNamespace === undefined || object.metadata.namespace === pinnedNamespace) &&
      labels(object.metadata.labels) &&
      (fields.requirements.length === 0 || fields.matches(object)),
  };
}
