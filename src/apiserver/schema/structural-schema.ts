import type { CompiledRule, RuleContext } from "./cel-rules.js";
import { compileRule } from "./cel-rules.js";
import { GoRegExpError, goRegExp } from "./go-regexp.js";
import { normalizeFormat, numericFormats, stringFormatCheck } from "./string-formats.js";

/** A CRD version's `openAPIV3Schema` (apiextensions.k8s.io/v1 JSONSchemaProps), as JSON. */
export type JsonSchemaProps = Record<string, unknown>;

/**
 * One node of a CRD version's structural schema, compiled once: patterns and CEL rules compiled, formats
 * resolved, and flags saying which subtrees need defaulting, CEL or list checks, so that the write path
 * walks plain fields and skips what it can.
 */
export interface SchemaNode {
  /** `object`, `array`, `string`, `integer`, `number`, `boolean`, or undefined. */
  type: string | undefined;
  /** The types the value may have, as kube-openapi checks them: `["integer", "string"]` for int-or-string. */
  types: readonly string[];
  nullable: boolean;
  description: string | undefined;
  properties: Map<string, SchemaNode> | undefined;
  /** A schema for map values, `true` for any value, undefined when the object has fixed properties only. */
  additionalProperties: SchemaNode | true | undefined;
  items: SchemaNode | undefined;
  required: readonly string[];
  enum: readonly unknown[] | undefined;
  /** The Go pattern as written (kube's messages quote it) and its JavaScript translation. */
  pattern: { source: string; regexp: RegExp } | undefined;
  /** The format as written, when kube keeps it for this type (others are stripped, as kube does). */
  format: string | undefined;
  /** The check for a kept string format. */
  formatCheck: ((value: string) => boolean) | undefined;
  minimum: number | undefined;
  maximum: number | undefined;
  exclusiveMinimum: boolean;
  exclusiveMaximum: boolean;
  multipleOf: number | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  minItems: number | undefined;
  maxItems: number | undefined;
  uniqueItems: boolean;
  minProperties: number | undefined;
  maxProperties: number | undefined;
  default: unknown;
  hasDefault: boolean;
  preserveUnknownFields: boolean;
  intOrString: boolean;
  embeddedResource: boolean;
  listType: "atomic" | "set" | "map" | undefined;
  listMapKeys: string[];
  mapType: "granular" | "atomic" | undefined;
  /** Compiled `x-kubernetes-validations` (rules that failed to compile are in `problems`). */
  rules: CompiledRule[];
  /** Value validations that apply in addition (allOf/anyOf/oneOf/not), compiled the same way. */
  allOf: SchemaNode[];
  anyOf: SchemaNode[];
  oneOf: SchemaNode[];
  not: SchemaNode | undefined;
  /** Where this node sits in the schema, as kube names it in CRD errors: `openAPIV3Schema.properties[spec]`. */
  schemaPath: string;
  /** Problems found while compiling (a pattern or rule that does not compile), as `field: message`. */
  problems: SchemaProblem[];
  /** Whether this node or one below it has a default, CEL rules, an embedded resource, a set/map list. */
  subtree: { defaults: boolean; rules: boolean; embedded: boolean; listInvariants: boolean };
}

/** A problem in a schema, as a CRD validation error names it. */
export interface SchemaProblem {
  /** The schema path: `openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule`. */
  field: string;
  reason: string;
  /** The error body: `Invalid value: "(": must be a valid regular expression, but isn't: ...`. */
  message: string;
}

const cache = new WeakMap<JsonSchemaProps, SchemaNode>();

/** Compiles a CRD version's openAPIV3Schema, once per schema object: later calls return the same node. */
export function compileSchema(schema: JsonSchemaProps): SchemaNode {
  let node = cache.get(schema);
  if (!node) {
    node = compileNode(schema, "openAPIV3Schema", { resourceRoot: true, uncorrelatable: undefined });
    cache.set(schema, node);
  }
  return node;
}

/**
 * Everything in a schema that kube would refuse when the CRD is written: patterns that are not valid
 * regular expressions and CEL rules that do not compile, each as `path: message`.
 */
export function compileErrors(schema: SchemaNode | JsonSchemaProps): string[] {
  return schemaProblemList(schema).map((p) => `${p.field}: ${p.message}`);
}

/** The same problems as field errors under a CRD path (`spec.versions[0].schema`), for a 422 on the CRD. */
export function schemaFieldErrors(
  schema: SchemaNode | JsonSchemaProps,
  basePath: string,
): { reason: string; field: string; message: string }[] {
  return schemaProblemList(schema).map((p) => ({
    reason: p.reason,
    field: basePath ? `${basePath}.${p.field}` : p.field,
    message: p.message,
  }));
}

/** {@link compileErrors} under the name the server's CRD strategy uses. */
export function schemaProblems(schema: SchemaNode | JsonSchemaProps): string[] {
  return compileErrors(schema);
}

function schemaProblemList(schema: SchemaNode | JsonSchemaProps): SchemaProblem[] {
  const root = isSchemaNode(schema) ? schema : compileSchema(schema);
  const problems: SchemaProblem[] = [];
  const seen = new Set<SchemaNode>();
  const visit = (node: SchemaNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    problems.push(...node.problems);
    for (const child of node.properties?.values() ?? []) visit(child);
    if (node.items) visit(node.items);
    if (node.additionalProperties && node.additionalProperties !== true) visit(node.additionalProperties);
    for (const sub of [...node.allOf, ...node.anyOf, ...node.oneOf]) visit(sub);
    if (node.not) visit(node.not);
  };
  visit(root);
  return problems;
}

function isSchemaNode(value: SchemaNode | JsonSchemaProps): value is SchemaNode {
  return Array.isArray((value as Partial<SchemaNode>).problems) && "subtree" in value;
}

interface Position {
  /** The root of the resource or an embedded resource: `apiVersion`, `kind` and `metadata` are CEL-visible. */
  resourceRoot: boolean;
  /** The schema path of the nearest list or atomic map below which `oldSelf` has no old value to compare. */
  uncorrelatable: string | undefined;
  /** For an allOf branch: the node its rules are about (kube types `self` from the node, not the branch). */
  subject?: SchemaNode;
}

function compileNode(raw: JsonSchemaProps, path: string, position: Position): SchemaNode {
  const problems: SchemaProblem[] = [];
  const number = (key: string): number | undefined => (typeof raw[key] === "number" ? raw[key] : undefined);
  const type = typeof raw.type === "string" && raw.type !== "" ? raw.type : undefined;
  const intOrString = raw["x-kubernetes-int-or-string"] === true;
  const embeddedResource = raw["x-kubernetes-embedded-resource"] === true;
  const listType = oneOf(raw["x-kubernetes-list-type"], ["atomic", "set", "map"] as const);
  const mapType = oneOf(raw["x-kubernetes-map-type"], ["granular", "atomic"] as const);

  let pattern: SchemaNode["pattern"];
  if (typeof raw.pattern === "string") {
    try {
      pattern = { source: raw.pattern, regexp: goRegExp(raw.pattern) };
    } catch (error) {
      const detail = error instanceof GoRegExpError ? error.message : String(error);
      problems.push({
        field: `${path}.pattern`,
        reason: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(raw.pattern)}: must be a valid regular expression, but isn't: ${detail}`,
      });
    }
  }

  const { format, formatCheck } = keptFormat(raw.format, intOrString ? undefined : type);
  const child = (value: unknown, childPath: string, childPosition: Position): SchemaNode | undefined =>
    value && typeof value === "object" && !Array.isArray(value)
      ? compileNode(value as JsonSchemaProps, childPath, childPosition)
      : undefined;
  const nested: Position = { resourceRoot: false, uncorrelatable: position.uncorrelatable };
  const atomicMap = mapType === "atomic" ? (position.uncorrelatable ?? path) : position.uncorrelatable;
  const rawProperties =
    raw.properties && typeof raw.properties === "object"
      ? (raw.properties as Record<string, unknown>)
      : undefined;
  const properties = rawProperties
    ? new Map(
        Object.entries(rawProperties).map(([name, value]) => {
          const compiled = compileNode(
            value && typeof value === "object" ? (value as JsonSchemaProps) : {},
            `${path}.properties[${name}]`,
            {
              resourceRoot:
                (value as JsonSchemaProps | undefined)?.["x-kubernetes-embedded-resource"] === true,
              uncorrelatable: atomicMap,
            },
          );
          return [name, compiled] as const;
        }),
      )
    : undefined;
  const rawAdditional = raw.additionalProperties;
  const additionalProperties =
    rawAdditional === true
      ? true
      : child(rawAdditional, `${path}.additionalProperties`, {
          resourceRoot:
            (rawAdditional as JsonSchemaProps | undefined)?.["x-kubernetes-embedded-resource"] === true,
          uncorrelatable: atomicMap,
        });
  const items = child(raw.items, `${path}.items`, {
    resourceRoot: (raw.items as JsonSchemaProps | undefined)?.["x-kubernetes-embedded-resource"] === true,
    uncorrelatable: listType === "map" ? position.uncorrelatable : (position.uncorrelatable ?? path),
  });
  const list = (key: string, subject?: SchemaNode): SchemaNode[] =>
    Array.isArray(raw[key])
      ? (raw[key] as unknown[]).map((s, i) =>
          compileNode(s && typeof s === "object" ? (s as JsonSchemaProps) : {}, `${path}.${key}[${i}]`, {
            resourceRoot: position.resourceRoot,
            uncorrelatable: position.uncorrelatable,
            ...(subject ? { subject } : {}),
          }),
        )
      : [];

  const node: SchemaNode = {
    type,
    types: intOrString ? ["integer", "string"] : type ? [type] : [],
    nullable: raw.nullable === true,
    description: typeof raw.description === "string" ? raw.description : undefined,
    properties,
    additionalProperties,
    items,
    required: Array.isArray(raw.required)
      ? raw.required.filter((r): r is string => typeof r === "string")
      : [],
    enum: Array.isArray(raw.enum) ? raw.enum : undefined,
    pattern,
    format,
    formatCheck,
    minimum: number("minimum"),
    maximum: number("maximum"),
    exclusiveMinimum: raw.exclusiveMinimum === true,
    exclusiveMaximum: raw.exclusiveMaximum === true,
    multipleOf: number("multipleOf"),
    minLength: number("minLength"),
    maxLength: number("maxLength"),
    minItems: number("minItems"),
    maxItems: number("maxItems"),
    uniqueItems: raw.uniqueItems === true,
    minProperties: number("minProperties"),
    maxProperties: number("maxProperties"),
    default: raw.default,
    // kube treats `default: null` as no default.
    hasDefault: raw.default !== undefined && raw.default !== null,
    preserveUnknownFields: raw["x-kubernetes-preserve-unknown-fields"] === true,
    intOrString,
    embeddedResource,
    listType,
    listMapKeys: Array.isArray(raw["x-kubernetes-list-map-keys"])
      ? raw["x-kubernetes-list-map-keys"].filter((k): k is string => typeof k === "string")
      : [],
    mapType,
    rules: [],
    allOf: [],
    anyOf: list("anyOf"),
    oneOf: list("oneOf"),
    not: child(raw.not, `${path}.not`, nested),
    schemaPath: path,
    problems,
    subtree: { defaults: false, rules: false, embedded: false, listInvariants: false },
  };

  const rawRules = raw["x-kubernetes-validations"];
  if (Array.isArray(rawRules)) {
    const context: RuleContext = {
      node: position.subject ?? node,
      resourceRoot: position.resourceRoot,
      uncorrelatable: position.uncorrelatable,
    };
    rawRules.forEach((rawRule: unknown, index) => {
      const compiled = compileRule(
        rawRule && typeof rawRule === "object" ? (rawRule as Record<string, unknown>) : {},
        context,
      );
      for (const problem of compiled.problems)
        problems.push({ ...problem, field: `${path}.x-kubernetes-validations[${index}].${problem.field}` });
      if (compiled.rule) node.rules.push(compiled.rule);
    });
  }

  // allOf branches come after the node exists: their rules are compiled against it.
  node.allOf = list("allOf", position.subject ?? node);

  const children = [
    ...(properties?.values() ?? []),
    ...(items ? [items] : []),
    ...(additionalProperties && additionalProperties !== true ? [additionalProperties] : []),
  ];
  node.subtree = {
    defaults: node.hasDefault || children.some((c) => c.subtree.defaults),
    rules:
      node.rules.length > 0 ||
      node.allOf.some((a) => a.subtree.rules) ||
      children.some((c) => c.subtree.rules),
    embedded: embeddedResource || children.some((c) => c.subtree.embedded),
    listInvariants:
      listType === "set" || listType === "map" || children.some((c) => c.subtree.listInvariants),
  };
  return node;
}

// kube's StripUnsupportedFormatsPostProcess: a format is kept only where kube validates it.
function keptFormat(
  raw: unknown,
  type: string | undefined,
): { format: string | undefined; formatCheck: ((value: string) => boolean) | undefined } {
  if (typeof raw !== "string" || raw === "") return { format: undefined, formatCheck: undefined };
  if (type === undefined || type === "string") {
    const check = stringFormatCheck(raw);
    return check ? { format: raw, formatCheck: check } : { format: undefined, formatCheck: undefined };
  }
  const numeric = numericFormats[type];
  return numeric?.includes(normalizeFormat(raw))
    ? { format: raw, formatCheck: undefined }
    : { format: undefined, formatCheck: undefined };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
