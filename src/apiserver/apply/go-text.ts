import { isMap } from "./json-value.js";

/**
 * Text as kube-apiserver's Go code writes it, where managedFields and messages must match byte for
 * byte: `encoding/json` (map keys sorted, HTML characters escaped) and `strconv.Quote` (`%q`).
 */

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintable(char: string): boolean {
  return printable.test(char);
}

/** `encoding/json` output for a JSON value. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map((item) => goJson(item)).join(",")}]`;
  if (isMap(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort(compareCodePoints);
    return `{${keys.map((key) => `${goJsonString(key)}:${goJson(value[key])}`).join(",")}}`;
  }
  return "null";
}

const jsonEscapes: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

// Control characters, the HTML-sensitive ones, line/paragraph separators and lone surrogates.
// eslint-disable-next-line no-control-regex
const needsJsonEscape = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;

export function goJsonString(text: string): string {
  if (!needsJsonEscape.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const escape = jsonEscapes[char];
    if (escape !== undefined) out += escape;
    else if (char.length === 1 && char < " ") out += `\\u${hex(char.charCodeAt(0), 4)}`;
    else if (char.length === 1 && char >= "\ud800" && char <= "\udfff") out += "\\ufffd";
    else out += char;
  }
  return `${out}"`;
}

const quoteEscapes: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/** `strconv.Quote`, which `%q` prints. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const escape = quoteEscapes[char];
    if (escape !== undefined) out += escape;
    else if (isPrintable(char)) out += char;
    else {
      const code = char.codePointAt(0) ?? 0;
      if (code < 0x80) out += `\\x${hex(code, 2)}`;
      else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
      else out += `\\U${hex(code, 8)}`;
    }
  }
  return `${out}"`;
}

/** structured-merge-diff's `value.ToString`, used in field paths of conflicts and errors. */
export function goValueString(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => goValueString(item)).join(",")}]`;
  if (isMap(value))
    return Object.keys(value)
      .sort(compareCodePoints)
      .map((key) => `${key}=${goValueString(value[key])}`)
      .join("");
  return "{{undefined}}";
}

/** Go's `strings.Compare` order (UTF-8 bytes, which is code point order), not UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(i) ?? 0) - (b.codePointAt(i) ?? 0);
  }
  return a.length - b.length;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}
