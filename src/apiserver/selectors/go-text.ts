/**
 * Go's text conventions that apimachinery's selector messages and orderings depend on: `%q`
 * quoting, `strconv.ParseInt`, and strings compared byte by byte as UTF-8.
 */

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
// Up to 15 digits a double holds exactly, so the common case needs no BigInt.
const exactDigits = 15;

/**
 * `strconv.ParseInt(text, 10, 64)`: an optional sign then ASCII digits, within int64. Returns
 * undefined where Go returns an error. Compare the result with `<`/`>`: JS orders numbers and
 * bigints against each other exactly.
 */
export function parseInt64(text: string): number | bigint | undefined {
  const length = text.length;
  let start = 0;
  const first = text.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) start = 1;
  if (length === start) return undefined;
  for (let i = start; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  if (length - start <= exactDigits) return Number(text);
  const value = BigInt(text);
  return value < int64Min || value > int64Max ? undefined : value;
}

/** Go's `%q` of a string (`strconv.Quote`). */
export function quote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (code >= 0x20 && code < 0x7f) out += c;
    else if (shortEscapes[c] !== undefined) out += shortEscapes[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (printable.test(c)) out += c;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

/** Orders strings as Go compares them: by UTF-8 bytes, which is code point order, not UTF-16's. */
export function compareBytewise(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts a code point above U+FFFF, so it sorts after every other UTF-16 unit.
    const xAstral = x >= 0xd800 && x <= 0xdfff;
    const yAstral = y >= 0xd800 && y <= 0xdfff;
    if (xAstral !== yAstral) return xAstral ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Go's `len()` of a string: its length in UTF-8 bytes. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

const shortEscapes: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}
