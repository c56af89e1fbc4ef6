// The CEL rules (`x-kubernetes-validations`) of Switchboard's schemas, evaluated offline so that a
// manifest `validateManifest` accepts is one the API server accepts too. Only what these schemas use
// is supported: rules on `self` (transition rules, which read `oldSelf`, need the stored object and
// are skipped), the standard CEL library, and integers typed by the schema.
import { parse } from "@marcbachmann/cel-js";
import type { ParseResult } from "@marcbachmann/cel-js";
import type { Schema } from "./schema/schema-builders.js";

export interface RuleViolation {
  path: string;
  message: string;
}

interface Rule {
  rule: string;
  message?: string;
  fieldPath?: string;
}

const programs = new Map<string, ParseResult>();

function program(rule: string): ParseResult {
  let compiled = programs.get(rule);
  if (!compiled) {
    compiled = parse(rule);
    programs.set(rule, compiled);
  }
  return compiled;
}

/**
 * Every rule that fails on `value` or below it, with the field path kube would name. Rules see the
 * object with the schema's defaults applied, as they do in kube-apiserver.
 */
export function validationRuleViolations(schema: Schema, value: unknown): RuleViolation[] {
  const found: RuleViolation[] = [];
  walk(schema, withDefaults(schema, structuredClone(value)), "", found);
  return found;
}

function walk(schema: Schema, value: unknown, path: string, found: RuleViolation[]): void {
  if (value === undefined || value === null) return;
  for (const rule of (schema["x-kubernetes-validations"] as Rule[] | undefined) ?? []) {
    if (/\boldSelf\b/.test(rule.rule)) continue;
    const failure = evaluate(rule, celValue(schema, value));
    if (failure) found.push({ path: join(path, rule.fieldPath), message: failure });
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    if (items) value.forEach((item, i) => walk(items, item, `${path}[${i}]`, found));
    return;
  }
  if (typeof value !== "object") return;
  const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const below = childSchema(schema, key);
    if (below) walk(below, child, key in properties ? join(path, `.${key}`) : `${path}[${key}]`, found);
  }
}

/** Fills absent fields that have a default, in place, as kube-apiserver's defaulting does. */
function withDefaults(schema: Schema | undefined, value: unknown): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    for (const item of value) withDefaults(schema.items as Schema | undefined, item);
  } else if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, property] of Object.entries(properties))
      if (object[key] === undefined && "default" in property) object[key] = structuredClone(property.default);
    for (const [key, child] of Object.entries(object)) withDefaults(childSchema(schema, key), child);
  }
  return value;
}

function childSchema(schema: Schema | undefined, key: string): Schema | undefined {
  const property = (schema?.properties as Record<string, Schema> | undefined)?.[key];
  const additional = schema?.additionalProperties;
  return property ?? (additional && typeof additional === "object" ? (additional as Schema) : undefined);
}

function evaluate(rule: Rule, self: unknown): string | undefined {
  try {
    if (program(rule.rule)({ self }) === true) return undefined;
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n", 1)[0] ?? "") : String(error);
    return `rule ${JSON.stringify(rule.rule)} could not be evaluated: ${reason}`;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function join(path: string, suffix: string | undefined): string {
  const joined = `${path}${suffix ?? ""}`;
  return joined.startsWith(".") ? joined.slice(1) : joined;
}

/** JSON as CEL sees it under the schema: integers of integer fields are CEL ints (bigint). */
function celValue(schema: Schema | undefined, value: unknown): unknown {
  if (typeof value === "number")
    return schema?.type === "integer" && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => celValue(schema?.items as Schema | undefined, item));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, child]) => [
        key,
        celValue(childSchema(schema, key), child),
      ]),
    );
  return value;
}
