import type { SchemaNode } from "./structural-schema.js";

/**
 * A rule's `fieldPath` (`.spec.replicas`, `.labels['app.kubernetes.io/name']`) checked against the
 * schema and normalized to kube's field path form (`spec.replicas`, `labels[app.kubernetes.io/name]`),
 * as apiextensions-apiserver's ValidFieldPath does.
 */
export function parseRuleFieldPath(fieldPath: string, schema: SchemaNode): string | { error: string } {
  const tokens = tokenize(fieldPath);
  let node: SchemaNode | undefined = schema;
  let path = "";
  const append = (name: string): string | undefined => {
    if (!node) return "does not refer to a valid field";
    if (node.properties) {
      const property = node.properties.get(name);
      if (!property) return "does not refer to a valid field";
      path = path ? `${path}.${name}` : name;
      node = property;
      return undefined;
    }
    if (node.additionalProperties !== undefined) {
      path = `${path}[${name}]`;
      node = node.additionalProperties === true ? undefined : node.additionalProperties;
      return undefined;
    }
    return "does not refer to a valid field";
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === ".") {
      const name = tokens[++i];
      if (name === undefined) return { error: "unexpected end of JSON path" };
      const problem = append(name);
      if (problem) return { error: problem };
    } else if (token === "[") {
      const quoted = tokens[++i];
      if (quoted === undefined) return { error: "unexpected end of JSON path" };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'"))
        return { error: `expected single quoted string but got ${quoted}` };
      const unescaped = unescapeSingleQuoted(quoted.slice(1, -1));
      if (typeof unescaped !== "string") return { error: `invalid string literal: ${unescaped.error}` };
      const problem = append(unescaped);
      if (problem) return { error: problem };
      const close = tokens[++i];
      if (close === undefined) return { error: "unexpected end of JSON path" };
      if (close !== "]") return { error: `expected ] but got ${close}` };
    } else {
      return { error: `expected [ or . but got: ${token}` };
    }
  }
  return path;
}

// The scanner of ValidFieldPath: `.`, `[` and `]` on their own, a single-quoted string whole, the rest between.
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    if (char === "'") {
      let end = i + 1;
      while (end < text.length && !(text[end] === "'" && text[end - 1] !== "\\")) end++;
      tokens.push(text.slice(i, end + 1));
      i = end + 1;
    } else if (char === "." || char === "[" || char === "]") {
      tokens.push(char);
      i++;
    } else {
      let end = i;
      while (end < text.length && !".[]".includes(text[end] ?? "")) end++;
      tokens.push(text.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

const escapes: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "'": "'",
  "\\": "\\",
};

function unescapeSingleQuoted(text: string): string | { error: string } {
  let bad: string | undefined;
  const out = text.replace(/\\./g, (match) => {
    const replacement = escapes[match[1] ?? ""];
    if (replacement === undefined) bad ??= `invalid escape char ${match}`;
    return replacement ?? "";
  });
  return bad ? { error: bad } : out;
}
