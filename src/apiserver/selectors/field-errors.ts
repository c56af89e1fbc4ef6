import { quote } from "./go-text.js";

/**
 * The text of apimachinery's `field.Invalid(path, value, detail)` error: `path: Invalid value: "v": detail`.
 * `path` is the rendered `*field.Path`; a nil path renders as `<nil>`.
 */
export function invalidValue(path: string, value: string | readonly string[], detail: string): string {
  return `${path}: Invalid value: ${typeof value === "string" ? quote(value) : goJson(value)}: ${detail}`;
}

/**
 * The text of `utilerrors.NewAggregate(errors).Error()`: the one message alone, or every distinct
 * message in brackets, joined by `, `.
 */
export function aggregateMessage(messages: readonly string[]): string {
  const distinct = [...new Set(messages)];
  return distinct.length === 1 ? (distinct[0] ?? "") : `[${distinct.join(", ")}]`;
}

/**
 * `json.Marshal` of a `[]string`, as field errors print non-scalar values. Go escapes `<`, `>`, `&`
 * and the JS line terminators where JSON.stringify does not; and an empty selector value list
 * reaches these errors as a nil slice, which Go marshals as `null`.
 */
function goJson(values: readonly string[]): string {
  if (values.length === 0) return "null";
  return JSON.stringify(values).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
