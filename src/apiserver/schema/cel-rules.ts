// CEL rules (`x-kubernetes-validations`) run on @marcbachmann/cel-js, chosen over @bufbuild/cel and
// cel-js (ChromeGG) because it has a type checker, so a rule calling an unknown function or mixing types
// fails when the CRD is written, as kube's typed compilation makes it fail, where the other two find out
// only when a rule runs; it compiles an expression once for many evaluations (and benchmarks about ten
// times faster than ChromeGG's cel-js); it has the macros and syntax kube rules use (has, all, exists,
// exists_one, map, filter, cel.bind, optional `.?`); it lets kube's own library functions be registered
// (cel-library.ts); and it has no dependencies, where @bufbuild/cel is a 0.x beta needing a protobuf
// registry.
import {
  EvaluationError,
  Optional,
  ParseError,
  TypeError as CelTypeError,
  serialize,
} from "@marcbachmann/cel-js";
import type { ParseResult } from "@marcbachmann/cel-js";
import { optionalOldSelfEnvironment, ruleEnvironment } from "./cel-library.js";
import type { CelAst, CelIssue } from "./cel-static-check.js";
import { readsOldSelf, staticCheck, useRe2Matches } from "./cel-static-check.js";
import { parseRuleFieldPath } from "./rule-field-path.js";
import type { SchemaNode } from "./structural-schema.js";

export type RuleReason =
  "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";

type Program = (context: Record<string, unknown>) => unknown;

export interface CompiledRule {
  rule: string;
  /** The static message, trimmed; undefined when none was given. */
  message: string | undefined;
  messageExpression: Program | undefined;
  reason: RuleReason | undefined;
  /** `fieldPath` as kube normalizes it (`.spec['a.b']` is `spec[a.b]`), appended to the node's path. */
  fieldPath: string | undefined;
  /** Rules that read `oldSelf` are transition rules: skipped without an old value unless optionalOldSelf. */
  usesOldSelf: boolean;
  optionalOldSelf: boolean;
  program: Program;
}

/** Where a rule sits, for compiling it as kube does. */
export interface RuleContext {
  node: SchemaNode;
  resourceRoot: boolean;
  /** The schema path of the list or atomic map above the node, when `oldSelf` cannot be correlated here. */
  uncorrelatable: string | undefined;
}

/** A problem with one rule, its field relative to the rule (`rule`, `messageExpression`, `reason`, ...). */
export interface RuleProblem {
  field: string;
  reason: string;
  message: string;
}

const reasons: readonly RuleReason[] = [
  "FieldValueDuplicate",
  "FieldValueForbidden",
  "FieldValueInvalid",
  "FieldValueRequired",
];

/** Compiles one `x-kubernetes-validations` entry, reporting what kube's CRD validation would refuse. */
export function compileRule(
  raw: Record<string, unknown>,
  context: RuleContext,
): { rule: CompiledRule | undefined; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const source = typeof raw.rule === "string" ? raw.rule : "";
  const quoted = JSON.stringify(source);
  const optionalOldSelf = raw.optionalOldSelf === true;
  if (source.trim() === "") {
    problems.push({
      field: "rule",
      reason: "FieldValueRequired",
      message: "Required value: rule is not specified",
    });
    return { rule: undefined, problems };
  }
  const environment = optionalOldSelf ? optionalOldSelfEnvironment : ruleEnvironment;
  const compiled = compileExpression(environment, source, context, !optionalOldSelf);
  if ("error" in compiled) {
    problems.push({
      field: "rule",
      reason: "FieldValueInvalid",
      message: `Invalid value: ${quoted}: compilation failed: ${compiled.error}`,
    });
  } else if (compiled.type !== "bool" && compiled.type !== "dyn") {
    problems.push({
      field: "rule",
      reason: "FieldValueInvalid",
      message: `Invalid value: ${quoted}: cel expression must evaluate to a bool`,
    });
  }
  const usesOldSelf = "ast" in compiled && readsOldSelf(compiled.ast);
  if (usesOldSelf && context.uncorrelatable !== undefined)
    problems.push({
      field: "rule",
      reason: "FieldValueInvalid",
      message: `Invalid value: ${quoted}: oldSelf cannot be used on the uncorrelatable portion of the schema within ${context.uncorrelatable}`,
    });
  if (optionalOldSelf && !usesOldSelf && !("error" in compiled))
    problems.push({
      field: "optionalOldSelf",
      reason: "FieldValueInvalid",
      message: "Invalid value: true: may not be set if rule does not use oldSelf",
    });

  let messageExpression: Program | undefined;
  if (typeof raw.messageExpression === "string" && raw.messageExpression !== "") {
    const text = raw.messageExpression;
    if (text.trim() === "") {
      problems.push({
        field: "messageExpression",
        reason: "FieldValueRequired",
        message: "Required value: messageExpression must be non-empty if specified",
      });
    } else {
      const message = compileExpression(ruleEnvironment, text, context, true);
      if ("error" in message)
        problems.push({
          field: "messageExpression",
          reason: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(text)}: messageExpression compilation failed: ${message.error}`,
        });
      else if (message.type !== "string" && message.type !== "dyn")
        problems.push({
          field: "messageExpression",
          reason: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(text)}: messageExpression must evaluate to a string`,
        });
      else messageExpression = message.program;
    }
  }

  const message = typeof raw.message === "string" ? raw.message : undefined;
  if (message !== undefined && message !== "" && message.trim() === "")
    problems.push({
      field: "message",
      reason: "FieldValueInvalid",
      message: `Invalid value: ${JSON.stringify(message)}: message must be non-empty if specified`,
    });
  if (message !== undefined && /\n/.test(message))
    problems.push({
      field: "message",
      reason: "FieldValueInvalid",
      message: `Invalid value: ${JSON.stringify(message)}: message must not contain line breaks`,
    });

  let reason: RuleReason | undefined;
  if (raw.reason !== undefined) {
    if (reasons.includes(raw.reason as RuleReason)) reason = raw.reason as RuleReason;
    else
      problems.push({
        field: "reason",
        reason: "FieldValueNotSupported",
        message: `Unsupported value: ${JSON.stringify(raw.reason)}: supported values: ${reasons.map((r) => `"${r}"`).join(", ")}`,
      });
  }

  let fieldPath: string | undefined;
  if (typeof raw.fieldPath === "string" && raw.fieldPath !== "") {
    const parsed = parseRuleFieldPath(raw.fieldPath, context.node);
    if (typeof parsed === "string") fieldPath = parsed;
    else
      problems.push({
        field: "fieldPath",
        reason: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(raw.fieldPath)}: fieldPath must be a valid path: ${parsed.error}`,
      });
  }

  if ("error" in compiled || problems.length > 0) return { rule: undefined, problems };
  return {
    rule: {
      rule: source,
      message: message?.trim() || undefined,
      messageExpression,
      reason,
      fieldPath,
      usesOldSelf,
      optionalOldSelf,
      program: compiled.program,
    },
    problems,
  };
}

type Compiled = { error: string } | { ast: CelAst; type: string; program: Program };

function compileExpression(
  environment: typeof ruleEnvironment,
  source: string,
  context: RuleContext,
  oldSelfTyped: boolean,
): Compiled {
  let parsed: ParseResult;
  try {
    parsed = environment.parse(source);
  } catch (error) {
    return { error: describeCompileError(source, error) };
  }
  const checked = parsed.check();
  if (!checked.valid) return { error: describeCompileError(source, checked.error) };
  const ast = parsed.ast as unknown as CelAst;
  const { issues, type } = staticCheck(ast, context.node, context.resourceRoot, oldSelfTyped);
  if (issues.length > 0) return { error: issues.map((issue) => formatIssue(source, issue)).join("\n") };
  // cel-js runs `matches` as a JavaScript RegExp; a second parse points it at the RE2 implementation.
  const rewritten = environment.parse(source);
  const program = useRe2Matches(rewritten.ast) ? reparse(environment, rewritten) : rewritten;
  // cel-js types schema fields as dyn; the schema knows better when the whole rule is a field.
  const resultType = checked.type === "dyn" || checked.type === undefined ? (type ?? "dyn") : checked.type;
  return { ast, type: resultType, program: (context) => program(context) as unknown };
}

function reparse(environment: typeof ruleEnvironment, parsed: ParseResult): ParseResult {
  // serialize() prints the renamed call back to source, which parses to the same expression.
  return environment.parse(serialize(parsed.ast));
}

function describeCompileError(source: string, error: unknown): string {
  if (error instanceof ParseError || error instanceof CelTypeError || error instanceof EvaluationError) {
    const prefix = error instanceof ParseError ? "Syntax error: " : "";
    return formatIssue(source, { offset: error.range?.start ?? 0, message: `${prefix}${error.summary}` });
  }
  return error instanceof Error ? (error.message.split("\n", 1)[0] ?? "") : String(error);
}

/** cel-go's issue format: `ERROR: <input>:1:5: message`, the source line and a caret under the column. */
function formatIssue(source: string, issue: CelIssue): string {
  const before = source.slice(0, issue.offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const column = issue.offset - lineStart + 1;
  const text = source.split("\n")[line - 1] ?? "";
  return `ERROR: <input>:${line}:${column}: ${issue.message}\n | ${text}\n | ${".".repeat(column - 1)}^`;
}

/** The outcome of one rule on one value. */
export type RuleOutcome =
  { kind: "skip" } | { kind: "pass" } | { kind: "fail"; detail: string } | { kind: "error"; detail: string };

/**
 * Runs a rule on `self` (and `oldSelf` when there is an old value to compare with), as kube's
 * validator does: transition rules skipped without an old value unless optionalOldSelf; a false
 * result reported with the messageExpression's result, else the message, else `failed rule: ...`.
 */
export function runRule(rule: CompiledRule, self: unknown, old: { value: unknown } | undefined): RuleOutcome {
  if (rule.usesOldSelf && !old && !rule.optionalOldSelf) return { kind: "skip" };
  const context: Record<string, unknown> = { self };
  if (rule.optionalOldSelf) context.oldSelf = old ? Optional.of(old.value) : Optional.none();
  else if (old) context.oldSelf = old.value;
  let result: unknown;
  try {
    result = rule.program(context);
  } catch (error) {
    return { kind: "error", detail: describeRuntimeError(error, rule) };
  }
  if (result === true) return { kind: "pass" };
  return { kind: "fail", detail: failureDetail(rule, self, old) };
}

function failureDetail(rule: CompiledRule, self: unknown, old: { value: unknown } | undefined): string {
  if (rule.messageExpression) {
    try {
      const context: Record<string, unknown> = { self };
      if (old) context.oldSelf = old.value;
      const value = rule.messageExpression(context);
      if (typeof value === "string") {
        const trimmed = value.trim();
        // kube falls back to the static message when the result is empty, multi-line or over 5 KiB.
        if (trimmed !== "" && !trimmed.includes("\n") && Buffer.byteLength(trimmed) <= 5 * 1024)
          return trimmed;
      }
    } catch {
      // kube logs the messageExpression's failure and falls back to the static message.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule.trim()}`;
}

/** `message` if set, else the rule: how kube names a rule in its error texts. */
export function ruleErrorString(rule: CompiledRule): string {
  return rule.message ?? rule.rule.trim();
}

function describeRuntimeError(error: unknown, rule: CompiledRule): string {
  const summary =
    error instanceof EvaluationError || error instanceof CelTypeError
      ? error.summary
      : error instanceof Error
        ? (error.message.split("\n", 1)[0] ?? "")
        : String(error);
  if (/^(no such overload|found no matching overload)/.test(summary)) {
    return `'no such overload': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`;
  }
  return `${celGoError(summary)} evaluating rule: ${ruleErrorString(rule)}`;
}

// cel-go's wording for the runtime errors cel-js words differently.
function celGoError(summary: string): string {
  const index = /^No such key: index out of bounds, index (-?\d+) >= size (\d+)/.exec(summary);
  if (index) return `index '${index[1]}' out of range in list size '${index[2]}'`;
  if (/^No such key: index out of bounds/.test(summary)) return summary.replace(/^No such key: /, "");
  if (summary.startsWith("No such key: ")) return `no such key: ${summary.slice("No such key: ".length)}`;
  if (summary.startsWith("integer overflow")) return "integer overflow";
  return summary;
}
