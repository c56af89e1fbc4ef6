/**
 * Small builders for OpenAPI v3 structural schemas, so the API types read as a list of documented
 * fields. Every node they make is typed, as a structural schema requires, and every string and list
 * is bounded so that kube-apiserver can estimate the cost of the CEL rules that read them.
 */
export type Schema = Record<string, unknown>;

type Extra = Schema;

const typeNames = new WeakMap<Schema, { name: string; description: string | undefined }>();

/**
 * Gives a schema node the name its TypeScript type takes in `generated/types.ts`, and the type's
 * documentation when the node's own description is about one use of it. Both are kept beside the
 * schema, not in it, so the CRDs carry no titles nobody reads.
 */
export function named<T extends Schema>(typeName: string, schema: T, typeDescription?: string): T {
  typeNames.set(schema, { name: typeName, description: typeDescription });
  return schema;
}

export function typeNameOf(schema: Schema): { name: string; description: string | undefined } | undefined {
  return typeNames.get(schema);
}

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

export function enumeration(description: string, values: readonly string[], extra: Extra = {}): Schema {
  return { type: "string", description, enum: [...values], ...extra };
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

/** A list of distinct scalars, merged as a set by server-side apply. */
export function set(description: string, items: Schema, extra: Extra = {}): Schema {
  return array(description, items, { "x-kubernetes-list-type": "set", ...extra });
}

export function stringMap(description: string, extra: Extra = {}): Schema {
  return {
    type: "object",
    description,
    additionalProperties: { type: "string", maxLength: 4096 },
    maxProperties: 64,
    ...extra,
  };
}

/** A free-form object kept as written (JSON Schema documents, payload samples, configuration). */
export function freeform(description: string, extra: Extra = {}): Schema {
  return { type: "object", description, "x-kubernetes-preserve-unknown-fields": true, ...extra };
}

const refusedFields = new WeakSet<Schema>();

/**
 * A field declared only so that a rule can refuse it with a message: pruning runs before
 * validation, so a field the schema does not know could only be dropped silently. Refused fields
 * are left out of the generated types.
 */
export function refused(schema: Schema): Schema {
  refusedFields.add(schema);
  return schema;
}

export function isRefused(schema: Schema): boolean {
  return refusedFields.has(schema);
}

/** A CEL rule (`x-kubernetes-validations`) with its message. */
export function rule(expression: string, message: string, extra: Extra = {}): Schema {
  return { rule: expression, message, ...extra };
}

/** CEL: at most one of the fields is set (`exactly` makes it exactly one). */
export function oneOfFields(fields: string[], message: string, exactly = true): Schema {
  const count = `[${fields.map((f) => `has(self.${f})`).join(", ")}].filter(x, x).size()`;
  return rule(`${count} ${exactly ? "==" : "<="} 1`, message);
}

/** A Go duration as Kubernetes writes them: `30s`, `5m`, `1h30m`. */
export function duration(description: string, defaultValue?: string): Schema {
  return string(description, {
    pattern: "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$",
    maxLength: 32,
    ...(defaultValue !== undefined ? { default: defaultValue } : {}),
  });
}

/** A JSONata expression, compiled once by the runtime and checked by the controllers. */
export function jsonata(description: string, maxLength = 16384): Schema {
  return string(description, { maxLength });
}

/** An absolute http(s) URL. */
export function url(description: string, extra: Extra = {}): Schema {
  return string(description, { pattern: "^https?://[^\\s]+$", maxLength: 2048, ...extra });
}

/** An HTTP header name (an RFC 9110 token). */
export function headerName(description: string): Schema {
  return string(description, { pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", minLength: 1, maxLength: 128 });
}

/** A path into a JSON document: `type`, `event.type`, `data.events[0].eventType`. */
export function jsonPath(description: string): Schema {
  return string(description, { pattern: dottedPath, maxLength: 256 });
}

/** resource.Quantity, as controller-gen writes it. */
export function quantity(): Schema {
  return {
    anyOf: [{ type: "integer" }, { type: "string" }],
    pattern:
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
    "x-kubernetes-int-or-string": true,
  };
}

export const dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** The names Services need: a DNS label that starts with a letter. */
export const dns1035Label = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
export const dnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** A host name, optionally with a leading `*.` that matches any subdomain. */
export const hostGlob = "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** A label key: an optional DNS subdomain prefix and a name. */
export const labelKey =
  "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
export const labelValue = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
export const dottedPath =
  "^[A-Za-z_$][A-Za-z0-9_$-]*(\\[[0-9]+\\])?(\\.[A-Za-z_$][A-Za-z0-9_$-]*(\\[[0-9]+\\])?)*$";
/** Semantic Versioning 2.0.0. */
export const semver =
  "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$";
/** The characters a semver range is written with (`^1.2`, `>=1.0.0 <2`, `1.x || 2.x`, `*`). */
export const semverRange = "^[0-9A-Za-z.*^~<>=|+ -]+$";
