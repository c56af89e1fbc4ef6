import { ApiError } from "../api-error.js";

export type LabelOperator = "=" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Parses a label selector string as apimachinery's `labels.Parse` does: `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<2`, joined by commas. Errors are 400s with
 * apimachinery's wording (`unable to parse requirement: ...`).
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  const requirements: LabelRequirement[] = [];
  let i = 0;
  const peek = (): Token => tokens[i] ?? { kind: "end", text: "" };
  const next = (): Token => tokens[i++] ?? { kind: "end", text: "" };
  const fail = (found: Token, expected: string): never => {
    throw ApiError.badRequest(`unable to parse requirement: found '${found.text}', expected: ${expected}`);
  };
  while (peek().kind !== "end") {
    let token = next();
    if (token.kind === "!") {
      const key = next();
      if (key.kind !== "identifier") fail(key, "identifier");
      requirements.push({ key: validKey(key.text), operator: "!", values: [] });
    } else if (token.kind === "identifier") {
      const key = validKey(token.text);
      const op = peek();
      if (op.kind === "," || op.kind === "end") {
        requirements.push({ key, operator: "exists", values: [] });
      } else {
        next();
        if (op.kind === "in" || op.kind === "notin") {
          const open = next();
          if (open.kind !== "(") fail(open, "'('");
          const values: string[] = [];
          for (;;) {
            token = next();
            if (token.kind === ")" && values.length === 0) break;
            if (token.kind === "identifier") values.push(validValue(token.text));
            else if (token.kind === "," || token.kind === ")") values.push("");
            else fail(token, "',', ')' or identifier");
            if (token.kind === ")") break;
            if (token.kind === "identifier") {
              const after = next();
              if (after.kind === ")") break;
              if (after.kind !== ",") fail(after, "',' or ')'");
            }
          }
          requirements.push({ key, operator: op.kind, values });
        } else if (
          op.kind === "=" ||
          op.kind === "==" ||
          op.kind === "!=" ||
          op.kind === ">" ||
          op.kind === "<"
        ) {
          const value = peek().kind === "identifier" ? next().text : "";
          if (op.kind === ">" || op.kind === "<") {
            if (!/^-?\d+$/.test(value)) {
              throw ApiError.badRequest(
                `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`,
              );
            }
            requirements.push({ key, operator: op.kind === ">" ? "gt" : "lt", values: [value] });
          } else
            requirements.push({ key, operator: op.kind === "!=" ? "!=" : "=", values: [validValue(value)] });
        } else fail(op, "'=', '!=', '==', 'in', notin'");
      }
    } else fail(token, "!, identifier");
    const separator = next();
    if (separator.kind === "end") break;
    if (separator.kind !== ",") fail(separator, "','");
    if (peek().kind === "end") fail(peek(), "identifier");
  }
  return requirements;
}

export function labelMatcher(requirements: LabelRequirement[]): LabelMatcher {
  if (requirements.length === 0) return () => true;
  return (labels) => requirements.every((r) => matches(r, labels));
}

function matches(requirement: LabelRequirement, labels: Record<string, string> | undefined): boolean {
  const value = labels?.[requirement.key];
  switch (requirement.operator) {
    case "=":
    case "in":
      return value !== undefined && requirement.values.includes(value);
    case "!=":
    case "notin":
      return value === undefined || !requirement.values.includes(value);
    case "exists":
      return value !== undefined;
    case "!":
      return value === undefined;
    case "gt":
    case "lt": {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      const have = Number(value);
      const want = Number(requirement.values[0]);
      return requirement.operator === "gt" ? have > want : have < want;
    }
  }
}

/** A `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`) as requirements. */
export function requirementsFromLabelSelector(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelRequirement[] {
  const requirements: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key: validKey(key),
    operator: "=",
    values: [validValue(value)],
  }));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" }[
      expression.operator
    ] as LabelOperator | undefined;
    if (!operator)
      throw ApiError.badRequest(`"${expression.operator}" is not a valid label selector operator`);
    requirements.push({
      key: validKey(expression.key),
      operator,
      values: (expression.values ?? []).map(validValue),
    });
  }
  return requirements;
}

function validKey(key: string): string {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const problems: string[] = [];
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !dns1123Subdomain.test(prefix))
  ) {
    problems.push(
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  if (name.length === 0) problems.push("name part must be non-empty");
  else if (name.length > 63) problems.push("name part must be no more than 63 characters");
  else if (!qualifiedNamePart.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
  }
  if (problems.length > 0)
    throw ApiError.badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": ${problems.join(", ")}`,
    );
  return key;
}

function validValue(value: string): string {
  if (value.length > 63 || !labelValue.test(value)) {
    throw ApiError.badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
  return value;
}

interface Token {
  kind: "identifier" | "in" | "notin" | "!" | "=" | "==" | "!=" | ">" | "<" | "(" | ")" | "," | "end";
  text: string;
}

// apimachinery's lexer: special characters end an identifier; `in`/`notin` are keywords.
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      tokens.push({ kind: two, text: two });
      i += 2;
      continue;
    }
    if ("!=><(),".includes(c)) {
      tokens.push({ kind: c as Token["kind"], text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s!=><(),]/.test(input[j] as string)) j++;
    const text = input.slice(i, j);
    tokens.push({ kind: text === "in" ? "in" : text === "notin" ? "notin" : "identifier", text });
    i = j;
  }
  return tokens;
}
