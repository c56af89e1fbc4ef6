import { ApiError } from "../api-error.js";
import { compareBytewise } from "./go-text.js";

/** One term of a field selector. `==` parses to `=`, as apimachinery makes both a `hasTerm`. */
export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

/** Reads one field of an object as a field selector compares it: `""` when the field is absent. */
export type FieldReader<T> = (object: T) => string;

/**
 * Parses a field selector as apimachinery's `fields.ParseSelector` does: terms `a=b`, `a==b`, `a!=b`
 * joined by commas; in values `\` escapes `,`, `=` and `\`. Nothing is trimmed: `a = b` selects the
 * field `a ` (which no kind supports). Terms come back in Go's sort order of their raw text.
 */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort(compareBytewise)) {
    if (term === "") continue;
    const split = splitTerm(term);
    if (split === undefined)
      throw ApiError.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    requirements.push({
      field: split.field,
      operator: split.operator === "!=" ? "!=" : "=",
      value: unescapeValue(split.value),
    });
  }
  return requirements;
}

/**
 * Compiles requirements, ANDed, into one function; `readerFor` is called once per requirement here,
 * so reading a field per object costs no lookup by name. An absent field reads as `""`, so `a!=x`
 * matches objects without `a`, as kube's `fields.Set.Get` does.
 */
export function fieldSelectorMatcher<T>(
  requirements: readonly FieldRequirement[],
  readerFor: (field: string) => FieldReader<T>,
): (object: T) => boolean {
  const terms = requirements.map((r) => ({
    read: readerFor(r.field),
    value: r.value,
    equal: r.operator === "=",
  }));
  if (terms.length === 0) return () => true;
  return (object) => {
    for (const term of terms) if ((term.read(object) === term.value) !== term.equal) return false;
    return true;
  };
}

// Splits on commas not escaped by a backslash, keeping escapes for unescapeValue.
function splitTerms(selector: string): string[] {
  if (selector === "") return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === "\\") escaped = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ["!=", "==", "="] as const;

// The first operator wins, `!=` and `==` before `=`: field names cannot be escaped.
function splitTerm(term: string): { field: string; operator: string; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of termOperators) {
      if (term.startsWith(operator, i))
        return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

function unescapeValue(value: string): string {
  if (!/[\\,=]/.test(value)) return value;
  let out = "";
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== "\\" && c !== "," && c !== "=")
        throw ApiError.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      escaped = false;
    } else if (c === "\\") escaped = true;
    else if (c === "," || c === "=")
      // Go prints the rune with %v, which is its code point number.
      throw ApiError.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (escaped) throw ApiError.badRequest("invalid field selector: invalid escape sequence: \\");
  return out;
}
