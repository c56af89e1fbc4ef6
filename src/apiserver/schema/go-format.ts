/**
 * Values printed the way Go's fmt prints them, because kube's error texts are built with `%v`, `%q`
 * and `%#v` over decoded JSON (`map[string]interface{}`, `[]interface{}`, `int64`, `float64`).
 */

/** A value already rendered by the caller, for Go types that JSON has no form for (`[]string{...}`). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** `strconv.Quote`: printable runes kept, the rest escaped as Go does. */
export function goQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    const escaped = shortEscapes[char];
    if (escaped) out += escaped;
    else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd";
    else if (isPrint(char)) out += char;
    else if (code < 0x80) out += `\\x${hex(code, 2)}`;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

const shortEscapes: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function isPrint(char: string): boolean {
  return printable.test(char);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}

/**
 * A JSON number as kube holds it: integers decode to int64 (printed in full), other numbers to
 * float64, which `%v` prints in Go's shortest form (`1.5`, `1e+06`, `1e-05`).
 */
export function goNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  return goFloat(value);
}

/** `%v` of a float64: shortest digits, exponent form below 1e-4 and from 1e+06 on (Go's `%g`, precision 6). */
export function goFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // toExponential() without digits gives the shortest mantissa that round-trips, as Go's -1 precision.
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(value);
}

/** `%#v` of a decoded JSON value: `map[string]interface {}{"a":1}`, `[]interface {}{"x"}`. */
export function goSharpV(value: unknown, nested = false): string {
  if (value instanceof GoLiteral) return value.text;
  if (value === null || value === undefined) return nested ? "interface {}(nil)" : "<nil>";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[]interface {}{${value.map((v) => goSharpV(v, true)).join(", ")}}`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${goQuote(k)}:${goSharpV(v, true)}`);
    return `map[string]interface {}{${entries.join(", ")}}`;
  }
  return typeof value === "symbol" ? value.toString() : "<unknown>";
}

/** `[]string{"a", "b"}`, as `%#v` prints a string slice. */
export function goStringSlice(values: readonly string[]): GoLiteral {
  return new GoLiteral(`[]string{${values.map(goQuote).join(", ")}}`);
}
