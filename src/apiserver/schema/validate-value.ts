import { isDeepStrictEqual } from "node:util";
import type { FieldError } from "../types.js";
import { checkRule, toCelValue } from "./cel-rules.js";
import type { SchemaNode } from "./structural-schema.js";

/** A value paired with its old value (on update), so transition rules can compare them. */
interface Correlated {
  value: unknown;
  old: unknown;
  hasOld: boolean;
}

/**
 * OpenAPI value validation and CEL rules with kube's field paths and messages (kube-openapi's
 * validate package as apiextensions-apiserver reports it).
 */
export function validateValue(
  node: SchemaNode,
  value: unknown,
  path: string,
  errors: FieldError[],
  old?: Correlated,
): void {
  const where = path || "<root>";
  if (value === null) {
    if (!node.nullable && node.type !== undefined && !node.preserveUnknownFields) {
      errors.push(typeError(path, where, "null", node.type));
    }
    return;
  }
  const actual = jsonType(value);
  if (node.intOrString) {
    if (actual !== "integer" && actual !== "string")
      errors.push(typeError(path, where, actual, "integer,string"));
  } else if (node.type && !typeMatches(node.type, actual)) {
    errors.push(typeError(path, where, actual, node.type));
    return;
  }
  if (node.enum && !node.enum.some((allowed) => isDeepStrictEqual(allowed, value))) {
    errors.push({
      reason: "FieldValueNotSupported",
      field: path,
      message: `Unsupported value: ${render(value)}: supported values: ${node.enum.map(render).join(", ")}`,
    });
  }
  if (typeof value === "string") validateString(node, value, path, where, errors);
  if (typeof value === "number") validateNumber(node, value, path, where, errors);
  if (Array.isArray(value)) validateArray(node, value, path, where, errors, old);
  else if (typeof value === "object")
    validateObject(node, value as Record<string, unknown>, path, where, errors, old);
  for (const sub of node.allOf) validateValue(sub, value, path, errors);
  if (node.anyOf.length > 0 && !node.anyOf.some((sub) => passes(sub, value))) {
    errors.push(invalid(path, value, `${where} in body must validate at least one schema (anyOf)`));
  }
  if (node.oneOf.length > 0 && node.oneOf.filter((sub) => passes(sub, value)).length !== 1) {
    errors.push(invalid(path, value, `${where} in body must validate one and only one schema (oneOf)`));
  }
  if (node.not && passes(node.not, value))
    errors.push(invalid(path, value, `${where} in body must not validate the schema (not)`));
  if (node.rules.length > 0) {
    const self = toCelValue(node, value);
    const oldSelf = old?.hasOld ? toCelValue(node, old.old) : undefined;
    for (const rule of node.rules) {
      const message = checkRule(rule, self, oldSelf, old?.hasOld === true);
      if (message === undefined) continue;
      const field = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
      errors.push(ruleError(rule.reason, field, node.type ?? actual, message));
    }
  }
}

function validateString(
  node: SchemaNode,
  value: string,
  path: string,
  where: string,
  errors: FieldError[],
): void {
  const length = [...value].length;
  if (node.maxLength !== undefined && length > node.maxLength) {
    errors.push({
      reason: "FieldValueTooLong",
      field: path,
      message: `Too long: may not be more than ${node.maxLength} bytes`,
    });
  }
  if (node.minLength !== undefined && length < node.minLength) {
    errors.push(invalid(path, value, `${where} in body should be at least ${node.minLength} chars long`));
  }
  if (node.pattern && !node.pattern.regexp.test(value)) {
    errors.push(invalid(path, value, `${where} in body should match '${node.pattern.source}'`));
  }
  if (node.format === "date-time" && Number.isNaN(Date.parse(value))) {
    errors.push(invalid(path, value, `${where} in body must be of type date-time: ${render(value)}`));
  }
}

function validateNumber(
  node: SchemaNode,
  value: number,
  path: string,
  where: string,
  errors: FieldError[],
): void {
  if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum)) {
    errors.push(
      invalid(
        path,
        value,
        `${where} in body should be less than ${node.exclusiveMaximum ? "" : "or equal to "}${node.maximum}`,
      ),
    );
  }
  if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum)) {
    errors.push(
      invalid(
        path,
        value,
        `${where} in body should be greater than ${node.exclusiveMinimum ? "" : "or equal to "}${node.minimum}`,
      ),
    );
  }
  if (
    node.multipleOf !== undefined &&
    Math.abs(value / node.multipleOf - Math.round(value / node.multipleOf)) > 1e-9
  ) {
    errors.push(invalid(path, value, `${where} in body should be a multiple of ${node.multipleOf}`));
  }
}

function validateArray(
  node: SchemaNode,
  value: unknown[],
  path: string,
  where: string,
  errors: FieldError[],
  old?: Correlated,
): void {
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    errors.push({
      reason: "FieldValueTooMany",
      field: path,
      message: `Too many: ${value.length}: must have at most ${node.maxItems} items`,
    });
  }
  if (node.minItems !== undefined && value.length < node.minItems) {
    errors.push(invalid(path, value.length, `${where} in body should have at least ${node.minItems} items`));
  }
  if (node.uniqueItems || node.listType === "set") {
    value.forEach((item, i) => {
      if (value.findIndex((other) => isDeepStrictEqual(other, item)) < i) {
        errors.push({
          reason: "FieldValueDuplicate",
          field: `${path}[${i}]`,
          message: `Duplicate value: ${render(item)}`,
        });
      }
    });
  }
  const keysOf = (item: unknown): string | undefined =>
    node.listType === "map" && item && typeof item === "object"
      ? JSON.stringify(node.listMapKeys.map((k) => (item as Record<string, unknown>)[k]))
      : undefined;
  if (node.listType === "map") {
    const seen = new Set<string>();
    value.forEach((item, i) => {
      const key = keysOf(item);
      if (key === undefined) return;
      if (seen.has(key)) {
        const shown = Object.fromEntries(
          node.listMapKeys.map((k) => [k, (item as Record<string, unknown>)[k]]),
        );
        errors.push({
          reason: "FieldValueDuplicate",
          field: `${path}[${i}]`,
          message: `Duplicate value: ${JSON.stringify(shown)}`,
        });
      }
      seen.add(key);
    });
  }
  if (!node.items) return;
  const oldItems =
    old?.hasOld && Array.isArray(old.old) && node.listType === "map"
      ? new Map<string | undefined, unknown>((old.old as unknown[]).map((o) => [keysOf(o), o]))
      : undefined;
  value.forEach((item, i) => {
    const oldItem = oldItems?.get(keysOf(item));
    validateValue(
      node.items as SchemaNode,
      item,
      `${path}[${i}]`,
      errors,
      oldItem === undefined ? undefined : { value: item, old: oldItem, hasOld: true },
    );
  });
}

function validateObject(
  node: SchemaNode,
  value: Record<string, unknown>,
  path: string,
  where: string,
  errors: FieldError[],
  old?: Correlated,
): void {
  const oldObject =
    old?.hasOld && old.old && typeof old.old === "object" && !Array.isArray(old.old)
      ? (old.old as Record<string, unknown>)
      : undefined;
  for (const name of node.required) {
    if (value[name] === undefined)
      errors.push({
        reason: "FieldValueRequired",
        field: path ? `${path}.${name}` : name,
        message: "Required value",
      });
  }
  const count = Object.keys(value).length;
  if (node.maxProperties !== undefined && count > node.maxProperties) {
    errors.push({
      reason: "FieldValueTooMany",
      field: path,
      message: `Too many: ${count}: must have at most ${node.maxProperties} items`,
    });
  }
  if (node.minProperties !== undefined && count < node.minProperties) {
    errors.push(
      invalid(path, count, `${where} in body should have at least ${node.minProperties} properties`),
    );
  }
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const childNode =
      node.properties?.get(key) ??
      (node.additionalProperties === true ? undefined : node.additionalProperties);
    if (!childNode) continue;
    const childPath = node.properties?.has(key) ? (path ? `${path}.${key}` : key) : `${path}[${key}]`;
    const correlated =
      oldObject && key in oldObject ? { value: child, old: oldObject[key], hasOld: true } : undefined;
    validateValue(childNode, child, childPath, errors, correlated);
  }
}

function passes(node: SchemaNode, value: unknown): boolean {
  const errors: FieldError[] = [];
  validateValue(node, value, "", errors);
  return errors.length === 0;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === "number" && actual === "integer");
}

function typeError(path: string, where: string, actual: string, expected: string): FieldError {
  return {
    reason: "FieldValueTypeInvalid",
    field: path,
    message: `Invalid value: "${actual}": ${where} in body must be of type ${expected}: "${actual}"`,
  };
}

function invalid(path: string, value: unknown, detail: string): FieldError {
  return { reason: "FieldValueInvalid", field: path, message: `Invalid value: ${render(value)}: ${detail}` };
}

function ruleError(reason: string, field: string, type: string, message: string): FieldError {
  switch (reason) {
    case "FieldValueForbidden":
      return { reason, field, message: `Forbidden: ${message}` };
    case "FieldValueRequired":
      return { reason, field, message: `Required value: ${message}` };
    case "FieldValueDuplicate":
      return { reason, field, message: `Duplicate value: ${message}` };
    default:
      return { reason: "FieldValueInvalid", field, message: `Invalid value: "${type}": ${message}` };
  }
}

/** Values as apimachinery's field errors print them: strings quoted, numbers bare, objects as JSON. */
export function render(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
