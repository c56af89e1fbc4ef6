import { describe, expect, it } from "vitest";
import { byteLength, compareBytewise, parseInt64, quote } from "./go-text.js";

describe("quote: Go's %q", () => {
  it.each([
    ["a b", '"a b"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["line\nfeed\ttab", '"line\\nfeed\\ttab"'],
    ["\u0001\u007f", '"\\x01\\x7f"'],
    ["é", '"é"'],
    ["zero\u200bwidth", '"zero\\u200bwidth"'],
  ])("%j → %s", (text, quoted) => {
    expect(quote(text)).toBe(quoted);
  });
});

describe("parseInt64: strconv.ParseInt(s, 10, 64)", () => {
  it.each<[string, number | bigint | undefined]>([
    ["0", 0],
    ["42", 42],
    ["-7", -7],
    ["+7", 7],
    ["007", 7],
    ["9223372036854775807", 9223372036854775807n],
    ["-9223372036854775808", -9223372036854775808n],
    ["9223372036854775808", undefined],
    ["", undefined],
    ["-", undefined],
    ["1.5", undefined],
    ["1_000", undefined],
    [" 1", undefined],
    ["0x10", undefined],
  ])("%j → %s", (text, expected) => {
    expect(parseInt64(text)).toBe(expected);
  });
});

describe("compareBytewise: Go's string order", () => {
  it("orders by UTF-8 bytes, putting astral characters after U+FFFF as Go does", () => {
    expect(["😀", "\uffff", "b", "a", "ab"].sort(compareBytewise)).toEqual(["a", "ab", "b", "\uffff", "😀"]);
    // UTF-16 order would have put the emoji (a surrogate pair, 0xD83D...) before U+FFFF.
    expect(["😀", "\uffff"].sort()).toEqual(["😀", "\uffff"]);
  });

  it("measures length in bytes, as Go's len does", () => {
    expect(byteLength("é")).toBe(2);
  });
});
