import { ApiError } from "../api-error.js";

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/**
 * Parses a field selector as apimachinery's `fields.ParseSelector`: `a=b`, `a==b`, `a!=b` joined by
 * commas, with `\` escaping `,`, `=` and `\` inside values.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const part of splitUnescaped(selector, ",")) {
    if (part.trim() === "") continue;
    const match = /^(.*?)(!=|==|=)(.*)$/s.exec(part);
    if (!match || match[1] === "")
      throw ApiError.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const operator = match[2] === "!=" ? "!=" : "=";
    requirements.push({ field: (match[1] as string).trim(), operator, value: unescape(match[3] ?? "") });
  }
  return requirements;
}

/** Checks each field is one the kind supports, with kube's error for the first that is not. */
export function checkSupportedFields(requirements: FieldRequirement[], supported: ReadonlySet<string>): void {
  for (const r of requirements)
    if (!supported.has(r.field)) throw ApiError.badRequest(`field label not supported: ${r.field}`);
}

export function fieldMatcher(requirements: FieldRequirement[], valueOf: (field: string) => string): boolean {
  return requirements.every((r) => (valueOf(r.field) === r.value) === (r.operator === "="));
}

function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === "\\" && i + 1 < input.length) {
      current += c + (input[++i] as string);
    } else if (c === separator) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}
