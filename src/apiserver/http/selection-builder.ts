import type { ResourceType } from "../resources/resource-type.js";
import { checkSupportedFields, fieldMatcher, parseFieldSelector } from "../selectors/field-selector.js";
import { labelMatcher, parseLabelSelector } from "../selectors/label-selector.js";
import type { KubeObject } from "../types.js";
import type { Selection } from "./selection.js";

const supportedByType = new WeakMap<ResourceType, ReadonlySet<string>>();

/** Parses the selectors of one list or watch request once; matching an object is then cheap. */
export function buildSelection(
  type: ResourceType,
  namespace: string | undefined,
  labelSelector: string,
  fieldSelector: string,
): Selection {
  const labels = labelMatcher(parseLabelSelector(labelSelector));
  const fields = parseFieldSelector(fieldSelector);
  let supported = supportedByType.get(type);
  if (!supported) {
    supported = new Set(["metadata.name", "metadata.namespace", ...type.selectableFields]);
    supportedByType.set(type, supported);
  }
  checkSupportedFields(fields, supported);
  const name = fields.find((f) => f.field === "metadata.name" && f.operator === "=")?.value;
  const pinnedNamespace =
    namespace ?? fields.find((f) => f.field === "metadata.namespace" && f.operator === "=")?.value;
  return {
    namespace: pinnedNamespace,
    name,
    matches: (object: KubeObject) =>
      (pinnedNamespace === undefined || object.metadata.namespace === pinnedNamespace) &&
      labels(object.metadata.labels) &&
      (fields.length === 0 || fieldMatcher(fields, (field) => fieldValue(object, field))),
  };
}

function fieldValue(object: KubeObject, field: string): string {
  let value: unknown = object;
  for (const key of field.split("."))
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}
