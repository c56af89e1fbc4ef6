import { describe, expect, it } from "vitest";
import { GoRegExpError, goRegExp } from "./go-regexp.js";

describe("Go (RE2) patterns, as CRD `pattern` and CEL `matches` read them", () => {
  it.each([
    ["^[a-z]+$", "abc", true],
    ["^[a-z]+$", "aBc", false],
    ["(?i)^abc$", "ABC", true],
    ["^x(?i)abc$", "xABC", true],
    ["^X(?i)abc$", "xABC", false],
    ["^(a(?i)b|c)d$", "aBd", true],
    ["^(a(?i)b|c)d$", "aBD", false],
    ["(?s)a.b", "a\nb", true],
    ["a.b", "a\nb", false],
    ["a.b", "a\rb", true],
    ["^\\d{3}-\\d{4}$", "555-1234", true],
    ["^[[:alpha:]]+$", "Hello", true],
    ["^[[:digit:]]+$", "12a", false],
    ["^\\Qa.b\\E$", "a.b", true],
    ["^\\Qa.b\\E$", "axb", false],
    ["^a\\z", "a", true],
    ["^\\-\\:x$", "-:x", true],
    ["^(?P<word>\\w+)$", "hi", true],
    ["^(?P<w>a)(?i)b$", "aB", true],
    ["^\\pL+$", "héllo", true],
    ["^\\p{Greek}+$", "αβγ", true],
    ["^a{2}$", "aa", true],
    ["^a{$", "a{", true],
    ["^[\\s]+$", " \t", true],
    ["\\x{41}", "A", true],
  ])("%s on %j is %s", (pattern, value, matches) => {
    expect(goRegExp(pattern).test(value)).toBe(matches);
  });

  it.each([["(a"], ["a(?=b)"], ["(a)\\1"], ["(?<!a)b"], ["a\\C"], ["(?U)a+"], ["a(?U)b"]])(
    "%s is refused, as RE2 refuses it",
    (pattern) => {
      expect(() => goRegExp(pattern)).toThrow(GoRegExpError);
    },
  );

  it("compiles a pattern once and reuses it", () => {
    expect(goRegExp("^reused$")).toBe(goRegExp("^reused$"));
  });
});
