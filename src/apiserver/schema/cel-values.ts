import { celDuration } from "./cel-library.js";
import { isDate } from "./string-formats.js";
import type { SchemaNode } from "./structural-schema.js";

/**
 * A JSON value as kube's CEL sees it (apiextensions-apiserver's UnstructuredToVal): integer fields are
 * ints, number fields doubles, `date-time`/`date` strings timestamps, `duration` strings durations,
 * `byte` strings bytes; object fields are named by their escaped property names (`x-y` is
 * `x__dash__y`), fields kube cannot name or type are left out, and a resource root shows only
 * `apiVersion`, `kind` and `metadata.name`/`metadata.generateName`.
 */
export function toCelValue(node: SchemaNode | undefined, value: unknown, resourceRoot = false): unknown {
  if (value === null || value === undefined) return null;
  if (!node) return dynamic(value);
  if (node.intOrString) return typeof value === "number" ? number(value, true) : value;
  switch (node.type) {
    case "integer":
      return typeof value === "number" ? number(value, true) : value;
    case "number":
      return value;
    case "string":
      return typeof value === "string" ? formatted(node.format, value) : value;
    case "array":
      return Array.isArray(value)
        ? value.map((item) => toCelValue(node.items, item, node.items?.embeddedResource === true))
        : value;
    case "object":
      return value && typeof value === "object" && !Array.isArray(value)
        ? object(node, value as Record<string, unknown>, resourceRoot || node.embeddedResource)
        : value;
    default:
      return dynamic(value);
  }
}

function object(
  node: SchemaNode,
  value: Record<string, unknown>,
  resourceRoot: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const additional = node.additionalProperties;
  if (additional !== undefined && additional !== true) {
    for (const [key, child] of Object.entries(value))
      out[key] = toCelValue(additional, child, additional.embeddedResource);
    return out;
  }
  if (node.properties) {
    for (const [key, child] of Object.entries(value)) {
      const property = node.properties.get(key);
      if (!property || !celVisible(property)) continue;
      const name = escapeCelName(key);
      if (name !== undefined) out[name] = toCelValue(property, child, property.embeddedResource);
    }
  }
  if (resourceRoot) {
    for (const key of ["apiVersion", "kind"] as const)
      if (typeof value[key] === "string") out[key] = value[key];
    const meta = value.metadata;
    if (meta && typeof meta === "object" && !Array.isArray(meta)) {
      const { name, generateName } = meta as Record<string, unknown>;
      out.metadata = {
        ...(typeof name === "string" ? { name } : {}),
        ...(typeof generateName === "string" ? { generateName } : {}),
      };
    }
  }
  return out;
}

/**
 * Whether kube gives a node a CEL type (model.SchemaDeclType): untyped nodes other than int-or-string are
 * left out, and so are lists and maps whose items are.
 */
export function celVisible(node: SchemaNode): boolean {
  if (node.intOrString) return true;
  switch (node.type) {
    case "array":
      return node.items !== undefined && celVisible(node.items);
    case "object":
      return node.additionalProperties === undefined || node.additionalProperties === true
        ? true
        : celVisible(node.additionalProperties);
    case "string":
    case "boolean":
    case "number":
    case "integer":
      return true;
    default:
      return false;
  }
}

function formatted(format: string | undefined, value: string): unknown {
  switch (format) {
    case "date-time": {
      const time = Date.parse(value);
      return Number.isNaN(time) ? value : new Date(time);
    }
    case "date":
      return isDate(value) ? new Date(`${value}T00:00:00Z`) : value;
    case "duration":
      return celDuration(value) ?? value;
    case "byte":
      return new Uint8Array(Buffer.from(value, "base64"));
    default:
      return value;
  }
}

// JSON decoded as kube decodes it: integral numbers are int64, others float64.
function dynamic(value: unknown): unknown {
  if (typeof value === "number") return number(value, true);
  if (Array.isArray(value)) return value.map(dynamic);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) out[key] = dynamic(child);
    return out;
  }
  return value;
}

function number(value: number, integral: boolean): number | bigint {
  return integral && Number.isSafeInteger(value) ? BigInt(value) : value;
}

const reserved = new Set([
  "true",
  "false",
  "null",
  "in",
  "as",
  "break",
  "const",
  "continue",
  "else",
  "for",
  "function",
  "if",
  "import",
  "let",
  "loop",
  "package",
  "namespace",
  "return",
  "var",
  "void",
  "while",
]);

/** kube's cel.Escape: how a property is named in CEL, undefined when it cannot be (it starts with a digit, or has other characters). */
export function escapeCelName(name: string): string | undefined {
  if (name === "" || /^[0-9]/.test(name)) return undefined;
  if (reserved.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (match) => {
    switch (match) {
      case "__":
        return "__underscores__";
      case ".":
        return "__dot__";
      case "-":
        return "__dash__";
      case "/":
        return "__slash__";
      default:
        ok = false;
        return "";
    }
  });
  return ok ? escaped : undefined;
}
