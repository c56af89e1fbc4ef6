import { describe, expect, it } from "vitest";
import { fieldSelectorMatcher, parseFieldSelector, type FieldRequirement } from "./field-selector.js";

const eq = (field: string, value: string): FieldRequirement => ({ field, operator: "=", value });
const ne = (field: string, value: string): FieldRequirement => ({ field, operator: "!=", value });

describe("parseFieldSelector: apimachinery fields.ParseSelector", () => {
  it.each<[string, string, FieldRequirement[]]>([
    ["Equals", "metadata.name=a", [eq("metadata.name", "a")]],
    ["DoubleEquals is a hasTerm like Equals", "metadata.name==a", [eq("metadata.name", "a")]],
    ["NotEquals", "type!=Opaque", [ne("type", "Opaque")]],
    [
      "terms in Go's sort order of their raw text",
      "type!=Opaque,metadata.name=a",
      [eq("metadata.name", "a"), ne("type", "Opaque")],
    ],
    ["an escaped comma in a value", "reason=a\\,b", [eq("reason", "a,b")]],
    ["an escaped equals sign in a value", "reason=a\\=b", [eq("reason", "a=b")]],
    ["an escaped backslash in a value", "reason=a\\\\b", [eq("reason", "a\\b")]],
    ["an escaped backslash before a separating comma", "a=x\\\\,b=y", [eq("a", "x\\"), eq("b", "y")]],
    ["an empty value", "a=", [eq("a", "")]],
    ["an empty field name (refused later, by the kind)", "=a", [eq("", "a")]],
    ["no trimming: spaces belong to field and value", " metadata.name = a ", [eq(" metadata.name ", " a ")]],
    ["empty terms skipped", ",a=b,,", [eq("a", "b")]],
    ["the empty selector", "", []],
    ["the first operator splits: `!=` before `=`", "a!=b\\=c", [ne("a", "b=c")]],
  ])("%s: %j", (_behaviour, selector, expected) => {
    expect(parseFieldSelector(selector)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["a term without an operator", "foo", "invalid selector: 'foo'; can't understand 'foo'"],
    [
      "the whole selector named, the bad term quoted",
      "a=b,foo",
      "invalid selector: 'a=b,foo'; can't understand 'foo'",
    ],
    [
      "an unescaped `=` in a value, as its code point",
      "a=b=c",
      "invalid field selector: unescaped character in value: 61",
    ],
    [
      "`=!=`: the first `=` splits, leaving `!=b`",
      "a=!=b",
      "invalid field selector: unescaped character in value: 61",
    ],
    ["`===`: `==` splits, leaving `=b`", "a===b", "invalid field selector: unescaped character in value: 61"],
    ["an unknown escape", "a=\\q", "invalid field selector: invalid escape sequence: \\q"],
    ["a trailing backslash", "a=b\\", "invalid field selector: invalid escape sequence: \\"],
    [
      "the first bad term in sort order, not in input order",
      "z,y=\\q",
      "invalid field selector: invalid escape sequence: \\q",
    ],
  ])("rejects %s (%j) with apimachinery's text", (_behaviour, selector, message) => {
    let thrown: unknown;
    try {
      parseFieldSelector(selector);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 400, reason: "BadRequest", message });
  });
});

describe("fieldSelectorMatcher: hasTerm / notHasTerm against fields.Set", () => {
  const object = { type: "Opaque", empty: "" };
  const readerFor = (field: string) => (o: Record<string, string>) => o[field] ?? "";
  it.each<[string, string, boolean]>([
    ["Equals on the value", "type=Opaque", true],
    ["Equals on another value", "type=kubernetes.io/tls", false],
    ["NotEquals matches a missing field, read as the empty string", "missing!=x", true],
    ["Equals with an empty value matches a missing field", "missing=", true],
    ["NotEquals with an empty value fails on an empty field", "empty!=", false],
    ["terms are ANDed", "type=Opaque,missing!=x", true],
    ["terms are ANDed (one fails)", "type=Opaque,type!=Opaque", false],
    ["the empty selector matches", "", true],
  ])("%s: %j is %s", (_behaviour, selector, expected) => {
    expect(fieldSelectorMatcher(parseFieldSelector(selector), readerFor)(object)).toBe(expected);
  });

  it("builds each field's reader once, not once per object", () => {
    const built: string[] = [];
    const matches = fieldSelectorMatcher(parseFieldSelector("a=1,b!=2"), (field) => {
      built.push(field);
      return () => "1";
    });
    for (let i = 0; i < 3; i++) matches({});
    expect(built).toEqual(["a", "b"]);
  });
});
