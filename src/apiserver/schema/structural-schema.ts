import type { CompiledRule } from "./cel-rules.js";
import { compileRule } from "./cel-rules.js";

/** A CRD's `JSONSchemaProps`, as written in `openAPIV3Schema`. */
export type JsonSchemaProps = Record<string, unknown>;

/**
 * One node of a structural schema, compiled once per CRD version so that pruning, defaulting and
 * validation walk plain fields and pre-compiled patterns and rules, never the raw schema.
 */
export interface SchemaNode {
  type: string | undefined;
  nullable: boolean;
  description: string | undefined;
  properties: Map<string, SchemaNode> | undefined;
  /** A schema for map values, `true` for any value, undefined when the object has fixed properties only. */
  additionalProperties: SchemaNode | true | undefined;
  items: SchemaNode | undefined;
  required: string[];
  enum: unknown[] | undefined;
  pattern: { source: string; regexp: RegExp } | undefined;
  format: string | undefined;
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
  rules: CompiledRule[];
  /** Value validations that apply in addition (allOf/anyOf/oneOf/not), compiled the same way. */
  allOf: SchemaNode[];
  anyOf: SchemaNode[];
  oneOf: SchemaNode[];
  not: SchemaNode | undefined;
  /** Problems found while compiling (a pattern or rule that does not compile), with their path. */
  problems: string[];
}

const cache = new WeakMap<JsonSchemaProps, SchemaNode>();

/** Compiles (once per schema object) a CRD version's openAPIV3Schema. */
export function compileSchema(schema: JsonSchemaProps): SchemaNode {
  let node = cache.get(schema);
  if (!node) {
    node = compileNode(schema, "");
    cache.set(schema, node);
  }
  return node;
}

/** Every problem found in a compiled schema, named by path (`spec.size: pattern "(" does not compile`). */
export function schemaProblems(node: SchemaNode): string[] {
  const problems = [...node.problems];
  for (const child of node.properties?.values() ?? []) problems.push(...schemaProblems(child));
  if (node.items) problems.push(...schemaProblems(node.items));
  if (node.additionalProperties && node.additionalProperties !== true)
    problems.push(...schemaProblems(node.additionalProperties));
  return problems;
}

function compileNode(raw: JsonSchemaProps, path: string): SchemaNode {
  const problems: string[] = [];
  const number = (key: string): number | undefined => (typeof raw[key] === "number" ? raw[key] : undefined);
  const properties = raw.properties as Record<string, JsonSchemaProps> | undefined;
  const additional = raw.additionalProperties as JsonSchemaProps | boolean | undefined;
  let pattern: SchemaNode["pattern"];
  if (typeof raw.pattern === "string") {
    try {
      pattern = { source: raw.pattern, regexp: new RegExp(raw.pattern, "u") };
    } catch (error) {
      problems.push(
        `${path || "<root>"}: pattern ${JSON.stringify(raw.pattern)} does not compile: ${(error as Error).message}`,
      );
    }
  }
  const rules: CompiledRule[] = [];
  for (const [index, rule] of (
    (raw["x-kubernetes-validations"] as Record<string, unknown>[] | undefined) ?? []
  ).entries()) {
    const compiled = compileRule(rule);
    if (typeof compiled === "string")
      problems.push(`${path || "<root>"}: x-kubernetes-validations[${index}]: ${compiled}`);
    else rules.push(compiled);
  }
  const sub = (value: unknown, suffix: string): SchemaNode | undefined =>
    value && typeof value === "object" ? compileNode(value as JsonSchemaProps, suffix) : undefined;
  const list = (key: string): SchemaNode[] =>
    Array.isArray(raw[key]) ? (raw[key] as JsonSchemaProps[]).map((s) => compileNode(s, path)) : [];
  return {
    type: typeof raw.type === "string" ? raw.type : undefined,
    nullable: raw.nullable === true,
    description: typeof raw.description === "string" ? raw.description : undefined,
    properties: properties
      ? new Map(
          Object.entries(properties).map(([name, child]) => [
            name,
            compileNode(child, path ? `${path}.${name}` : name),
          ]),
        )
      : undefined,
    additionalProperties: additional === true ? true : sub(additional, `${path}[*]`),
    items: sub(raw.items, `${path}[*]`),
    required: Array.isArray(raw.required) ? (raw.required as string[]) : [],
    enum: Array.isArray(raw.enum) ? raw.enum : undefined,
    pattern,
    format: typeof raw.format === "string" ? raw.format : undefined,
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
    hasDefault: "default" in raw,
    preserveUnknownFields: raw["x-kubernetes-preserve-unknown-fields"] === true,
    intOrString: raw["x-kubernetes-int-or-string"] === true,
    embeddedResource: raw["x-kubernetes-embedded-resource"] === true,
    listType: raw["x-kubernetes-list-type"] as SchemaNode["listType"],
    listMapKeys: Array.isArray(raw["x-kubernetes-list-map-keys"])
      ? (raw["x-kubernetes-list-map-keys"] as string[])
      : [],
    mapType: raw["x-kubernetes-map-type"] as SchemaNode["mapType"],
    rules,
    allOf: list("allOf"),
    anyOf: list("anyOf"),
    oneOf: list("oneOf"),
    not: sub(raw.not, path),
    problems,
  };
}
