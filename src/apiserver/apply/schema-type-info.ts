import type { JsonMap } from "./json-value.js";
import { isMap } from "./json-value.js";
import type { ObjectType, TypeInfo } from "./type-model.js";
import { listOf, mapOf, objectMetaType, objectTypeOf, scalar, untypedMap } from "./type-model.js";

const cache = new WeakMap<JsonMap, ObjectType>();

/**
 * Type information from a CRD version's `openAPIV3Schema`, read as kube-openapi's schema conversion
 * reads it for server-side apply: objects with `properties` are structs (closed unless
 * `additionalProperties` or `x-kubernetes-preserve-unknown-fields` open them), `additionalProperties`
 * makes a map, objects that say nothing about their keys hold anything (granular maps, atomic lists);
 * `x-kubernetes-map-type` and `x-kubernetes-list-type`/`-list-map-keys` say how to merge. The root and
 * embedded resources always have `apiVersion`, `kind` and ObjectMeta. Cached per schema object.
 */
export function typeInfoFromSchema(openAPIV3Schema: JsonMap | undefined): ObjectType {
  if (!openAPIV3Schema) return schemaless;
  let type = cache.get(openAPIV3Schema);
  if (!type) {
    const root = convert(openAPIV3Schema);
    type =
      root.kind === "map"
        ? objectTypeOf(Object.fromEntries(root.fields), {
            zero: {},
            elements: root.elements,
          })
        : schemaless;
    cache.set(openAPIV3Schema, type);
  }
  return type;
}

const schemaless = objectTypeOf({}, { zero: {}, elements: untypedMap });

function convert(schema: JsonMap): TypeInfo {
  if (schema["x-kubernetes-int-or-string"] === true) return scalar;
  const preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (schema.type === "array") return convertList(schema);
  const properties = isMap(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const isObject = schema.type === "object" || properties !== undefined || additional !== undefined;
  if (!isObject) return schema.type === undefined ? untypedMap : scalar;

  const fields: Record<string, TypeInfo> = {};
  for (const [name, property] of Object.entries(properties ?? {}))
    if (isMap(property)) fields[name] = convert(property);
  if (schema["x-kubernetes-embedded-resource"] === true) {
    fields.apiVersion ??= scalar;
    fields.kind ??= scalar;
    fields.metadata = objectMetaType;
  }
  let elements: TypeInfo | undefined;
  if (isMap(additional)) elements = convert(additional);
  else if (additional === true || preserveUnknown) elements = untypedMap;
  // An object that names neither properties nor additional ones is free-form.
  else if (properties === undefined && additional === undefined) elements = untypedMap;
  return mapOf(fields, { elements, atomic: schema["x-kubernetes-map-type"] === "atomic" });
}

function convertList(schema: JsonMap): TypeInfo {
  const itemSchema = isMap(schema.items) ? schema.items : undefined;
  const items = itemSchema ? convert(itemSchema) : untypedMap;
  const listType = schema["x-kubernetes-list-type"];
  if (listType === "set") return listOf("set", items);
  const keys = Array.isArray(schema["x-kubernetes-list-map-keys"])
    ? schema["x-kubernetes-list-map-keys"].filter((key): key is string => typeof key === "string")
    : [];
  if (listType !== "map" || keys.length === 0) return listOf("atomic", items);
  const keyDefaults: JsonMap = {};
  const itemProperties = isMap(itemSchema?.properties) ? itemSchema.properties : {};
  for (const key of keys) {
    const property = itemProperties[key];
    if (isMap(property) && property.default !== undefined) keyDefaults[key] = property.default;
  }
  return listOf("map", items, { keys, keyDefaults });
}
