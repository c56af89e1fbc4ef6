import { isDeepStrictEqual } from "node:util";
import type { FieldError } from "../types.js";
import type { Old } from "./correlation.js";
import { oldField, oldItems } from "./correlation.js";
import { invalid, notSupported, required, tooLong, tooMany, typeInvalid } from "./field-error.js";
import { goFloat, goQuote } from "./go-format.js";
import type { SchemaNode } from "./structural-schema.js";

export interface ValueValidationOptions {
  /**
   * The old value, on update: parts of the value equal to their old counterparts are not reported
   * (kube's validation ratcheting, on by default since 1.30).
   */
  old?: Old | undefined;
  /** The field path the value is validated under: "" for a whole object, `status` for the status subresource. */
  basePath?: string;
}

/**
 * OpenAPI value validation as kube-openapi's validate package runs it for a CRD, with its errors
 * converted as apiextensions-apiserver does (kubeOpenAPIResultToFieldErrors): the same checks in the
 * same order, the same early returns, field paths (`spec.items[0].name`, map entries as `spec.labels.app`)
 * and messages (`spec.replicas in body must be of type integer: "string"`).
 */
export function validateValue(
  node: SchemaNode,
  value: unknown,
  options: ValueValidationOptions = {},
): FieldError[] {
  const errors: FieldError[] = [];
  new ValueValidator(options.basePath ?? "").check(node, value, "", options.old, errors);
  return errors;
}

type Kind = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

class ValueValidator {
  constructor(private readonly basePath: string) {}

  /** Validates one value; returns kube-openapi's "match count", which picks the best failing anyOf/oneOf branch. */
  check(node: SchemaNode, value: unknown, name: string, old: Old | undefined, out: FieldError[]): number {
    if (old && isDeepStrictEqual(old.value, value)) return 1;
    if (value === null || value === undefined) {
      if (node.types.length > 0 && !node.types.includes("null") && !node.nullable)
        out.push(this.typeError(name, node.types.join(","), "null"));
      if (node.enum && node.enum.length > 0) out.push(this.enumError(node, name, null));
      return 2;
    }
    const kind = kindOf(value);
    let count = 1;
    if (node.types.length > 0 || node.format) {
      count++;
      this.checkType(node, value, kind, name, out);
    }
    count += this.checkComposition(node, value, name, old, out);
    if (kind === "string") {
      count++;
      this.checkString(node, value as string, name, out);
      if (node.formatCheck) {
        count++;
        if (!node.formatCheck(value as string))
          out.push(
            typeInvalid(
              this.field(name),
              value,
              `${name} in body must be of type ${node.format}: ${goQuote(value as string)}`,
            ),
          );
      }
    }
    if (kind === "integer" || kind === "number") {
      count++;
      this.checkNumber(node, value as number, kind === "integer", name, out);
    }
    if (kind === "array") count += this.checkArray(node, value as unknown[], name, old, out);
    if (node.enum && node.enum.length > 0) {
      count++;
      if (!node.enum.some((allowed) => enumMatches(allowed, value)))
        out.push(this.enumError(node, name, value));
    }
    if (kind === "object") count += this.checkObject(node, value as Record<string, unknown>, name, old, out);
    return count;
  }

  // kube-openapi's typeValidator, quirks included: with a format, a non-string value is reported against
  // the format, and a list passes a formatted string schema.
  private checkType(node: SchemaNode, value: unknown, kind: Kind, name: string, out: FieldError[]): void {
    const [schemaType, valueFormat] = schemaInfo(kind);
    const isFloatInt =
      kind === "number" && isFloat64AJSONInteger(value as number) && node.types.includes("integer");
    const isIntFloat = kind === "integer" && node.types.includes("number");
    const accepts = node.types.includes(schemaType) || isFloatInt || isIntFloat;
    if (kind !== "string" && kind !== "array" && node.format && !(accepts || valueFormat === node.format)) {
      out.push(this.typeError(name, node.format, valueFormat));
      return;
    }
    const numeric = node.types.includes("number") || node.types.includes("integer");
    if (!numeric && node.format && (kind === "string" || kind === "array")) return;
    if (!accepts) out.push(this.typeError(name, node.types.join(","), schemaType));
  }

  private checkComposition(
    node: SchemaNode,
    value: unknown,
    name: string,
    old: Old | undefined,
    out: FieldError[],
  ): number {
    let count = 1;
    if (node.anyOf.length > 0) {
      let best: { errors: FieldError[]; count: number } | undefined;
      let succeeded = false;
      for (const branch of node.anyOf) {
        const errors: FieldError[] = [];
        const matched = this.check(branch, value, name, old, errors);
        count += matched;
        if (errors.length === 0) {
          succeeded = true;
          best = undefined;
          break;
        }
        if (!best || matched > best.count) best = { errors, count: matched };
      }
      if (!succeeded) out.push(this.composite(`${goQuote(name)} must validate at least one schema (anyOf)`));
      if (best) out.push(...best.errors);
    }
    if (node.oneOf.length > 0) {
      let best: { errors: FieldError[]; count: number } | undefined;
      let validated = 0;
      for (const branch of node.oneOf) {
        const errors: FieldError[] = [];
        const matched = this.check(branch, value, name, old, errors);
        count += matched;
        if (errors.length === 0) {
          validated++;
          best = undefined;
          continue;
        }
        if (validated === 0 && (!best || matched > best.count)) best = { errors, count: matched };
      }
      if (validated !== 1) {
        const detail = validated === 0 ? "Found none valid" : `Found ${validated} valid alternatives`;
        out.push(this.composite(`${goQuote(name)} must validate one and only one schema (oneOf). ${detail}`));
        if (best) out.push(...best.errors);
      }
    }
    if (node.allOf.length > 0) {
      let validated = 0;
      for (const branch of node.allOf) {
        const errors: FieldError[] = [];
        count += this.check(branch, value, name, old, errors);
        if (errors.length === 0) validated++;
        out.push(...errors);
      }
      if (validated !== node.allOf.length)
        out.push(
          this.composite(
            `${goQuote(name)} must validate all the schemas (allOf)${validated === 0 ? ". None validated" : ""}`,
          ),
        );
    }
    if (node.not) {
      const errors: FieldError[] = [];
      count += this.check(node.not, value, name, old, errors);
      if (errors.length === 0)
        out.push(this.composite(`${goQuote(name)} must not validate the schema (not)`));
    }
    return count;
  }

  // maxLength, minLength and pattern, each ending the string checks when it fails.
  private checkString(node: SchemaNode, value: string, name: string, out: FieldError[]): void {
    if (node.maxLength === undefined && node.minLength === undefined && !node.pattern) return;
    const length = [...value].length;
    if (node.maxLength !== undefined && length > node.maxLength) {
      out.push(tooLong(this.field(name), node.maxLength));
      return;
    }
    if (node.minLength !== undefined && length < node.minLength) {
      out.push(
        invalid(this.field(name), value, `${name} in body should be at least ${node.minLength} chars long`),
      );
      return;
    }
    if (node.pattern && !node.pattern.regexp.test(value))
      out.push(invalid(this.field(name), value, `${name} in body should match '${node.pattern.source}'`));
  }

  // Integers (int64 in kube) are checked against bounds truncated to integers, other numbers as float64.
  private checkNumber(
    node: SchemaNode,
    value: number,
    integer: boolean,
    name: string,
    out: FieldError[],
  ): void {
    const field = this.field(name);
    const bound = (b: number): [number, string] =>
      integer ? [Math.trunc(b), String(Math.trunc(b))] : [b, goFloat(b)];
    if (node.multipleOf !== undefined) {
      const factor =
        integer && Math.trunc(node.multipleOf) !== 0 ? Math.trunc(node.multipleOf) : node.multipleOf;
      const shown = factor === node.multipleOf && !integer ? goFloat(factor) : String(factor);
      if (factor < 0) {
        out.push(invalid(field, factor, `factor MultipleOf declared for ${name} must be positive: ${shown}`));
      } else if (
        integer && Number.isInteger(factor)
          ? value % factor !== 0
          : !isFloat64AJSONInteger(factor < 1 ? (1 / factor) * value : value / factor)
      ) {
        out.push(invalid(field, value, `${name} in body should be a multiple of ${shown}`));
      }
    }
    if (node.minimum !== undefined) {
      const [min, shown] = bound(node.minimum);
      if (node.exclusiveMinimum ? value <= min : value < min)
        out.push(
          invalid(
            field,
            value,
            `${name} in body should be greater than ${node.exclusiveMinimum ? "" : "or equal to "}${shown}`,
          ),
        );
    }
    if (node.maximum !== undefined) {
      const [max, shown] = bound(node.maximum);
      if (node.exclusiveMaximum ? value >= max : value > max)
        out.push(
          invalid(
            field,
            value,
            `${name} in body should be less than ${node.exclusiveMaximum ? "" : "or equal to "}${shown}`,
          ),
        );
    }
  }

  private checkArray(
    node: SchemaNode,
    value: unknown[],
    name: string,
    old: Old | undefined,
    out: FieldError[],
  ): number {
    let count = 1;
    if (node.items) {
      const correlate = old ? oldItems(node, old) : undefined;
      value.forEach((item, i) => {
        count += this.check(node.items as SchemaNode, item, `${name}[${i}]`, correlate?.(item), out);
      });
    }
    if (node.minItems !== undefined && value.length < node.minItems)
      out.push(
        invalid(
          this.field(name),
          value.length,
          `${name} in body should have at least ${node.minItems} items`,
        ),
      );
    if (node.maxItems !== undefined && value.length > node.maxItems)
      out.push(tooMany(this.field(name), value.length, node.maxItems));
    if (
      node.uniqueItems &&
      value.some((item, i) => value.findIndex((other) => isDeepStrictEqual(other, item)) < i)
    )
      out.push(invalid(this.field(name), "", `${name} in body shouldn't contain duplicates`));
    return count;
  }

  private checkObject(
    node: SchemaNode,
    value: Record<string, unknown>,
    name: string,
    old: Old | undefined,
    out: FieldError[],
  ): number {
    const size = Object.keys(value).length;
    if (node.minProperties !== undefined && size < node.minProperties) {
      out.push(
        invalid(
          this.field(name),
          size,
          `${name} in body should have at least ${node.minProperties} properties`,
        ),
      );
      return 1;
    }
    if (node.maxProperties !== undefined && size > node.maxProperties) {
      out.push(tooMany(this.field(name), size, node.maxProperties));
      return 1;
    }
    let count = 1;
    const additional = node.additionalProperties;
    if (additional && additional !== true) {
      for (const [key, child] of Object.entries(value)) {
        if (node.properties?.has(key)) continue;
        count += this.check(additional, child, `${name}.${key}`, oldField(old, key), out);
      }
    }
    if (node.properties) {
      for (const [key, property] of node.properties) {
        if (!Object.hasOwn(value, key)) continue;
        count += this.check(property, value[key], name ? `${name}.${key}` : key, oldField(old, key), out);
      }
    }
    for (const key of node.required)
      if (!Object.hasOwn(value, key)) out.push(required(this.field(`${name}.${key}`)));
    return count;
  }

  /** kube's errPath: the base path, with the kube-openapi name (leading dot trimmed) as one more child. */
  private field(name: string): string {
    const trimmed = name.startsWith(".") ? name.slice(1) : name;
    if (!trimmed) return this.basePath || "<nil>";
    return this.basePath ? `${this.basePath}.${trimmed}` : trimmed;
  }

  private typeError(name: string, expected: string, actual: string): FieldError {
    return typeInvalid(
      this.field(name),
      actual,
      `${name} in body must be of type ${expected}: ${goQuote(actual)}`,
    );
  }

  private enumError(node: SchemaNode, name: string, value: unknown): FieldError {
    const values = (node.enum ?? []).map((allowed) =>
      typeof allowed === "string" ? allowed : JSON.stringify(allowed),
    );
    return notSupported(this.field(name), value, values);
  }

  // Errors that are not a kube-openapi Validation (anyOf, oneOf, allOf, not) land on the base path with an empty value.
  private composite(message: string): FieldError {
    return invalid(this.basePath || "<nil>", "", message);
  }
}

function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "number":
      // JSON integers decode to int64 in kube; other numbers (and integers beyond int64) to float64.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? "integer" : "number";
    case "string":
      return "string";
    default:
      return "object";
  }
}

// The JSON type and Go format kube-openapi infers from a decoded value.
function schemaInfo(kind: Kind): [string, string] {
  switch (kind) {
    case "integer":
      return ["integer", "int64"];
    case "number":
      return ["number", "float64"];
    default:
      return [kind, ""];
  }
}

function enumMatches(allowed: unknown, value: unknown): boolean {
  if (typeof allowed === "number" && typeof value === "number") return allowed === value;
  return isDeepStrictEqual(allowed, value);
}

const maxJsonFloat = 2 ** 53 - 1;

/** go-openapi's swag.IsFloat64AJSONInteger: integral, or within a relative 1e-9 of an integer. */
export function isFloat64AJSONInteger(f: number): boolean {
  if (!Number.isFinite(f) || f < -maxJsonFloat || f > maxJsonFloat) return false;
  const g = Math.trunc(f);
  if (f === g) return true;
  const diff = Math.abs(f - g);
  if (g === 0 || diff < Number.MIN_VALUE) return diff < 1e-9 * Number.MIN_VALUE;
  return diff / Math.min(Math.abs(f) + Math.abs(g), Number.MAX_VALUE) < 1e-9;
}
