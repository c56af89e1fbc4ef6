import { isDeepStrictEqual } from "node:util";
import type { FieldError } from "../types.js";
import type { CompiledRule } from "./cel-rules.js";
import { runRule } from "./cel-rules.js";
import { celVisible, toCelValue } from "./cel-values.js";
import type { Old } from "./correlation.js";
import { oldField, oldItems } from "./correlation.js";
import {
  childPath,
  duplicate,
  forbidden,
  indexPath,
  invalid,
  keyPath,
  printedPath,
  required,
} from "./field-error.js";
import type { SchemaNode } from "./structural-schema.js";

export interface CelValidationResult {
  errors: FieldError[];
  /** Failures of unchanged values on update, which kube reports as warnings (CEL validation ratcheting). */
  warnings: string[];
}

/**
 * Runs every `x-kubernetes-validations` rule in the schema against the value, as apiextensions-apiserver's
 * CEL validator does: rules see the value at their node as `self`; on update, transition rules also see
 * the correlated old value as `oldSelf` (object fields and map entries by key unless the map is atomic,
 * items of list-type map lists by their keys) and are skipped where there is none; rules in allOf
 * branches run too. Only subtrees with rules are visited.
 */
export function validateCel(schema: SchemaNode, value: unknown, old: Old | undefined): CelValidationResult {
  const result: CelValidationResult = { errors: [], warnings: [] };
  if (schema.subtree.rules) {
    const unchanged = old ? lazyEqual(value, old) : () => false;
    walk(schema, value, "", old, { old, unchanged }, true, result);
  }
  return result;
}

/** The old value ratcheting compares against, and whether the nearest correlated value is unchanged. */
interface Ratchet {
  old: Old | undefined;
  unchanged: () => boolean;
}

/**
 * Walks the rules of `node` over the value. `subject` is the schema the value has: the node itself on
 * the schema's spine, the spine node for rules inside allOf branches (kube types `self` from it).
 */
function walk(
  node: SchemaNode,
  value: unknown,
  path: string,
  old: Old | undefined,
  ratchet: Ratchet,
  resourceRoot: boolean,
  result: CelValidationResult,
  subject: SchemaNode = node,
): void {
  if (value === null || value === undefined || !node.subtree.rules) return;
  if (node.rules.length > 0) runRules(node, subject, value, path, old, ratchet, resourceRoot, result);
  for (const branch of node.allOf) walk(branch, value, path, old, ratchet, resourceRoot, result, subject);
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items || !items.subtree.rules || !celVisible(items)) return;
    const correlate = oldItems(node, old);
    const ratchetCorrelate = oldItems(node, ratchet.old);
    value.forEach((item, i) =>
      walk(
        items,
        item,
        indexPath(path, i),
        correlate?.(item),
        next(ratchet, ratchetCorrelate?.(item), item),
        items.embeddedResource,
        result,
      ),
    );
    return;
  }
  if (typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  const correlatable = node.mapType !== "atomic";
  const additional = node.additionalProperties;
  if (additional && additional !== true && additional.subtree.rules && celVisible(additional)) {
    for (const [key, child] of Object.entries(object))
      walk(
        additional,
        child,
        keyPath(path, key),
        correlatable ? oldField(old, key) : undefined,
        next(ratchet, oldField(ratchet.old, key), child),
        additional.embeddedResource,
        result,
      );
  }
  if (node.properties) {
    for (const [key, child] of Object.entries(object)) {
      const property = node.properties.get(key);
      if (!property || !property.subtree.rules || !celVisible(property)) continue;
      walk(
        property,
        child,
        childPath(path, key),
        correlatable ? oldField(old, key) : undefined,
        next(ratchet, oldField(ratchet.old, key), child),
        property.embeddedResource,
        result,
      );
    }
  }
}

function runRules(
  node: SchemaNode,
  subject: SchemaNode,
  value: unknown,
  path: string,
  old: Old | undefined,
  ratchet: Ratchet,
  resourceRoot: boolean,
  result: CelValidationResult,
): void {
  const self = toCelValue(subject, value, resourceRoot);
  // An old value of null is no old value: kube skips transition rules then, as on create.
  const oldSelf =
    old && old.value !== null && old.value !== undefined && node.rules.some((rule) => rule.usesOldSelf)
      ? { value: toCelValue(subject, old.value, resourceRoot) }
      : undefined;
  const type = subject.type ?? "";
  for (const rule of node.rules) {
    const outcome = runRule(rule, self, oldSelf);
    if (outcome.kind === "skip" || outcome.kind === "pass") continue;
    if (outcome.kind === "error") {
      result.errors.push(invalid(printedPath(path), type, outcome.detail));
      continue;
    }
    const field = rule.fieldPath ? childPath(path, rule.fieldPath) : path;
    const error = errorForReason(rule, printedPath(field), type, outcome.detail);
    if (!rule.usesOldSelf && ratchet.unchanged()) result.warnings.push(`${error.field}: ${error.message}`);
    else result.errors.push(error);
  }
}

// kube's fieldErrorForReason; the bad value is the schema type, and Duplicate prints no message.
function errorForReason(rule: CompiledRule, field: string, type: string, detail: string): FieldError {
  switch (rule.reason) {
    case "FieldValueForbidden":
      return forbidden(field, detail);
    case "FieldValueRequired":
      return required(field, detail);
    case "FieldValueDuplicate":
      return duplicate(field, type);
    default:
      return invalid(field, type, detail);
  }
}

function next(parent: Ratchet, old: Old | undefined, value: unknown): Ratchet {
  if (!parent.old) return parent;
  return old ? { old, unchanged: lazyEqual(value, old) } : { old: undefined, unchanged: parent.unchanged };
}

function lazyEqual(value: unknown, old: Old): () => boolean {
  let equal: boolean | undefined;
  return () => (equal ??= isDeepStrictEqual(value, old.value));
}
