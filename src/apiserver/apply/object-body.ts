import type { KubeObject } from "../types.js";
import type { JsonMap } from "./json-value.js";
import { isMap } from "./json-value.js";

/** An object without `metadata.managedFields`, which kube takes out before it compares or merges. Shallow. */
export function withoutManagedFields(object: KubeObject): JsonMap {
  if (!isMap(object.metadata) || !("managedFields" in object.metadata)) return object;
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}
