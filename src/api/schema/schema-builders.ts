/**
 * Small builders for OpenAPI v3 structural schemas, so the API types read as a list of documented
 * fields. Every node they make is typed, as a structural schema requires.
 */
export type Schema = Record<string, unknown>;

type Extra = Schema;

export function string(description: string, extra: Extra = {}): Schema {
  return { type: "string", description, ...extra };
}

export function integer(description: string, extra: Extra = {}): Schema {
  return { type: "integer", description, ...extra };
}

export function number(description: string, extra: Extra = {}): Schema {
  return { type: "number", description, ...extra };
}

export function boolean(description: string, extra: Extra = {}): Schema {
  return { type: "boolean", description, ...extra };
}

export function enumeration(description: string, values: string[], extra: Extra = {}): Schema {
  return { type: "string", description, enum: values, ...extra };
}

export function object(
  description: string,
  properties: Record<string, Schema>,
  required: string[] = [],
  extra: Extra = {},
): Schema {
  return { type: "object", description, properties, ...(required.length > 0 ? { required } : {}), ...extra };
}

export function array(description: string, items: Schema, extra: Extra = {}): Schema {
  return { type: "array", description, items, ...extra };
}

/** A list whose elements are identified by `keys`, merged element by element by server-side apply. */
export function keyedList(description: string, items: Schema, keys: string[], extra: Extra = {}): Schema {
  return array(description, items, {
    "x-kubernetes-list-type": "map",
    "x-kubernetes-list-map-keys": keys,
    ...extra,
  });
}

export function stringMap(description: string, extra: Extra = {}): Schema {
  return { type: "object", description, additionalProperties: { type: "string" }, ...extra };
}

/** A free-form object kept as written (JSON Schema documents, payload samples). */
export function freeform(description: string, extra: Extra = {}): Schema {
  return { type: "object", description, "x-kubernetes-preserve-unknown-fields": true, ...extra };
}

/** A CEL rule (`x-kubernetes-validations`) with its message. */
export function rule(expression: string, message: string, extra: Extra = {}): Schema {
  return { rule: expression, message, ...extra };
}

/** A Go duration as Kubernetes writes them: `30s`, `5m`, `1h30m`. */
export function duration(description: string, defaultValue?: string): Schema {
  return string(description, {
    pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",
    maxLength: 32,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
  });
}

export const dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
export const dnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** Semantic Versioning 2.0.0. */
export const semver =
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";
