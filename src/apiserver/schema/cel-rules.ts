// CEL rules (`x-kubernetes-validations`) are evaluated with @marcbachmann/cel-js: maintained, no
// dependencies, the CEL macros kube rules use (has, all, exists, exists_one, map, filter) and string
// functions (startsWith, endsWith, contains, matches, size), and it compiles an expression once.
import { parse } from "@marcbachmann/cel-js";
import type { SchemaNode } from "./structural-schema.js";

export interface CompiledRule {
  rule: string;
  message: string | undefined;
  messageExpression: ((context: Record<string, unknown>) => unknown) | undefined;
  reason: string;
  fieldPath: string | undefined;
  /** Rules that read `oldSelf` are transition rules: skipped on create, as kube does. */
  transition: boolean;
  optionalOldSelf: boolean;
  evaluate: (context: Record<string, unknown>) => unknown;
}

const reasons: Record<string, string> = {
  FieldValueInvalid: "FieldValueInvalid",
  FieldValueForbidden: "FieldValueForbidden",
  FieldValueRequired: "FieldValueRequired",
  FieldValueDuplicate: "FieldValueDuplicate",
};

/** Compiles one rule; a string is the reason it does not compile. */
export function compileRule(raw: Record<string, unknown>): CompiledRule | string {
  const rule = raw.rule;
  if (typeof rule !== "string" || rule.trim() === "") return "rule: Required value";
  let evaluate: CompiledRule["evaluate"];
  try {
    evaluate = parse(rule) as CompiledRule["evaluate"];
  } catch (error) {
    return `rule ${JSON.stringify(rule)} does not compile: ${firstLine(error)}`;
  }
  let messageExpression: CompiledRule["messageExpression"];
  if (typeof raw.messageExpression === "string") {
    try {
      messageExpression = parse(raw.messageExpression) as CompiledRule["messageExpression"];
    } catch (error) {
      return `messageExpression ${JSON.stringify(raw.messageExpression)} does not compile: ${firstLine(error)}`;
    }
  }
  const reason = typeof raw.reason === "string" ? reasons[raw.reason] : "FieldValueInvalid";
  if (!reason)
    return `reason: Unsupported value: ${JSON.stringify(raw.reason)}: supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`;
  return {
    rule,
    message: typeof raw.message === "string" ? raw.message : undefined,
    messageExpression,
    reason,
    fieldPath: typeof raw.fieldPath === "string" ? raw.fieldPath : undefined,
    transition: /\boldSelf\b/.test(rule),
    optionalOldSelf: raw.optionalOldSelf === true,
    evaluate,
  };
}

/** The outcome of one rule on one value: undefined when it holds, else the message to report. */
export function checkRule(
  rule: CompiledRule,
  self: unknown,
  oldSelf: unknown,
  hasOld: boolean,
): string | undefined {
  if (rule.transition && !hasOld && !rule.optionalOldSelf) return undefined;
  const context: Record<string, unknown> = { self };
  if (hasOld) context.oldSelf = oldSelf;
  let result: unknown;
  try {
    result = rule.evaluate(context);
  } catch (error) {
    return `${rule.rule}: evaluation error: ${firstLine(error)}`;
  }
  if (result === true) return undefined;
  if (rule.messageExpression) {
    try {
      const message = rule.messageExpression(context);
      if (typeof message === "string" && message.trim() !== "") return message;
    } catch {
      // kube falls back to the static message when messageExpression fails.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** JSON values as CEL sees them: integers of integer-typed fields (and integral untyped numbers) are ints. */
export function toCelValue(node: SchemaNode | undefined, value: unknown): unknown {
  if (typeof value === "number") {
    // A non-integral value in an integer field is a type error reported elsewhere; it stays a double here.
    const integral = Number.isSafeInteger(value);
    return integral && (node?.type === "integer" || node?.type === undefined) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(node?.items, item));
  if (value && typeof value === "object") {
    const converted: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childNode =
        node?.properties?.get(key) ??
        (node?.additionalProperties === true ? undefined : node?.additionalProperties);
      converted[key] = toCelValue(childNode, child);
    }
    return converted;
  }
  return value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n", 1)[0] ?? "";
}
