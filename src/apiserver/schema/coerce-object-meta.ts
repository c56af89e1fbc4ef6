import { childPath, indexPath, invalid, keyPath } from "./field-error.js";
import type { SchemaNode } from "./structural-schema.js";

/**
 * What kube does to `metadata` on decode (apiextensions-apiserver's objectmeta.Coerce): it is read into
 * a metav1.ObjectMeta and written back, so unknown fields are dropped (and reported, for
 * `fieldValidation`) and a field of the wrong type fails the request with 400. For embedded resources
 * the round trip also drops null and empty fields (`omitempty`) and a zero `creationTimestamp`.
 */
export interface CoerceResult {
  unknownFields: string[];
  /** The decode error kube answers 400 BadRequest with, as `field: message`. */
  error: string | undefined;
}

type Shape =
  "string" | "int" | "bool" | "time" | "stringMap" | "stringList" | "raw" | { list: Record<string, Shape> };

const ownerReference: Record<string, Shape> = {
  apiVersion: "string",
  kind: "string",
  name: "string",
  uid: "string",
  controller: "bool",
  blockOwnerDeletion: "bool",
};
const managedFieldsEntry: Record<string, Shape> = {
  manager: "string",
  operation: "string",
  apiVersion: "string",
  time: "time",
  fieldsType: "string",
  fieldsV1: "raw",
  subresource: "string",
};
const objectMeta: Record<string, Shape> = {
  name: "string",
  generateName: "string",
  namespace: "string",
  selfLink: "string",
  uid: "string",
  resourceVersion: "string",
  generation: "int",
  creationTimestamp: "time",
  deletionTimestamp: "time",
  deletionGracePeriodSeconds: "int",
  labels: "stringMap",
  annotations: "stringMap",
  ownerReferences: { list: ownerReference },
  finalizers: "stringList",
  managedFields: { list: managedFieldsEntry },
};

/** The root object's metadata: unknown fields dropped (the server owns the rest of it). */
export function coerceRootObjectMeta(object: Record<string, unknown>, track: boolean): CoerceResult {
  const result: CoerceResult = { unknownFields: [], error: undefined };
  const meta = object.metadata;
  if (meta === undefined || meta === null) return result;
  if (typeof meta !== "object" || Array.isArray(meta)) {
    result.error = `metadata: ${invalid("metadata", meta, `json: cannot unmarshal ${jsonType(meta)} into Go value of type v1.ObjectMeta`).message}`;
    return result;
  }
  const problem = coerceStruct(
    meta as Record<string, unknown>,
    objectMeta,
    "metadata",
    "ObjectMeta",
    track ? result.unknownFields : undefined,
    false,
  );
  if (problem) result.error = `metadata: ${invalid("metadata", meta, problem).message}`;
  return result;
}

/** Embedded resources below the root: `apiVersion`/`kind` must be strings, `metadata` is round-tripped. */
export function coerceEmbeddedObjectMeta(schema: SchemaNode, value: unknown, track: boolean): CoerceResult {
  const result: CoerceResult = { unknownFields: [], error: undefined };
  if (schema.subtree.embedded)
    walk(schema, value, "", false, track ? result.unknownFields : undefined, result);
  return result;
}

function walk(
  node: SchemaNode | undefined,
  value: unknown,
  path: string,
  isEmbedded: boolean,
  unknown: string[] | undefined,
  result: CoerceResult,
): void {
  if (!node || result.error) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      walk(node.items, item, indexPath(path, i), node.items?.embeddedResource === true, unknown, result),
    );
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  if (isEmbedded) {
    for (const key of ["apiVersion", "kind"]) {
      if (Object.hasOwn(object, key) && typeof object[key] !== "string") {
        result.error = `${childPath(path, key)}: ${invalid(childPath(path, key), object[key], "must be a string").message}`;
        return;
      }
    }
    const meta = object.metadata;
    if (meta !== undefined) {
      const at = childPath(path, "metadata");
      if (meta === null) delete object.metadata;
      else if (typeof meta !== "object" || Array.isArray(meta)) {
        result.error = `${at}: ${invalid(at, meta, `json: cannot unmarshal ${jsonType(meta)} into Go value of type v1.ObjectMeta`).message}`;
        return;
      } else {
        const problem = coerceStruct(
          meta as Record<string, unknown>,
          objectMeta,
          at,
          "ObjectMeta",
          unknown,
          true,
        );
        if (problem) {
          result.error = `${at}: ${invalid(at, meta, problem).message}`;
          return;
        }
      }
    }
  }
  for (const [key, child] of Object.entries(object)) {
    if (isEmbedded && key === "metadata") continue;
    const property = node.properties?.get(key);
    if (property) walk(property, child, childPath(path, key), property.embeddedResource, unknown, result);
    else if (node.additionalProperties && node.additionalProperties !== true)
      walk(
        node.additionalProperties,
        child,
        keyPath(path, key),
        node.additionalProperties.embeddedResource,
        unknown,
        result,
      );
  }
}

/**
 * Drops unknown fields of a Go struct (recorded under `path`), checks the known ones' JSON types, and,
 * when `omitEmpty`, drops what the struct would not write back. Returns a decode error message, if any.
 */
function coerceStruct(
  object: Record<string, unknown>,
  fields: Record<string, Shape>,
  path: string,
  goStruct: string,
  unknown: string[] | undefined,
  omitEmpty: boolean,
): string | undefined {
  for (const key of Object.keys(object)) {
    const shape = fields[key];
    const value = object[key];
    if (shape === undefined) {
      unknown?.push(`${path}.${key}`);
      delete object[key];
      continue;
    }
    if (value === null) {
      if (omitEmpty || shape !== "raw") delete object[key];
      continue;
    }
    const problem = checkShape(value, shape, `${path}.${key}`, `${goStruct}.${key}`, unknown, omitEmpty);
    if (problem) return problem;
    if (omitEmpty && isEmpty(object[key], shape)) delete object[key];
  }
  return undefined;
}

function checkShape(
  value: unknown,
  shape: Shape,
  path: string,
  goField: string,
  unknown: string[] | undefined,
  omitEmpty: boolean,
): string | undefined {
  const mismatch = (goType: string, actual: unknown = value): string =>
    `json: cannot unmarshal ${jsonType(actual)} into Go struct field ${goField} of type ${goType}`;
  if (typeof shape === "object") {
    if (!Array.isArray(value))
      return mismatch(
        `[]v1.${goField.endsWith("ownerReferences") ? "OwnerReference" : "ManagedFieldsEntry"}`,
      );
    for (const [i, item] of value.entries()) {
      if (item === null) continue;
      if (typeof item !== "object" || Array.isArray(item)) return mismatch("struct", item);
      const problem = coerceStruct(
        item as Record<string, unknown>,
        shape.list,
        indexPath(path, i),
        goField,
        unknown,
        omitEmpty,
      );
      if (problem) return problem;
    }
    return undefined;
  }
  switch (shape) {
    case "string":
      return typeof value === "string" ? undefined : mismatch("string");
    case "int":
      return typeof value === "number" && Number.isInteger(value) ? undefined : mismatch("int64");
    case "bool":
      return typeof value === "boolean" ? undefined : mismatch("bool");
    case "time":
      return typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? undefined
        : typeof value === "string"
          ? `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`
          : mismatch("v1.Time");
    case "stringMap":
      if (typeof value !== "object" || Array.isArray(value)) return mismatch("map[string]string");
      for (const entry of Object.values(value as Record<string, unknown>))
        if (entry !== null && typeof entry !== "string") return mismatch("string", entry);
      return undefined;
    case "stringList":
      if (!Array.isArray(value)) return mismatch("[]string");
      for (const entry of value)
        if (entry !== null && typeof entry !== "string") return mismatch("string", entry);
      return undefined;
    case "raw":
      return undefined;
  }
}

function isEmpty(value: unknown, shape: Shape): boolean {
  if (value === "" || value === 0 || value === false) return shape !== "raw";
  if (Array.isArray(value)) return value.length === 0;
  if (shape === "stringMap" && value && typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  return typeof value;
}
