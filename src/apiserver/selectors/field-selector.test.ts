import { describe, expect, it } from "vitest";
import { checkSupportedFields, fieldMatcher, parseFieldSelector } from "./field-selector.js";

describe("field selectors (apimachinery fields.ParseSelector)", () => {
  it.each([
    ["metadata.name=a", [{ field: "metadata.name", operator: "=", value: "a" }]],
    [
      "metadata.name==a,type!=Opaque",
      [
        { field: "metadata.name", operator: "=", value: "a" },
        { field: "type", operator: "!=", value: "Opaque" },
      ],
    ],
    ["reason=a\\,b", [{ field: "reason", operator: "=", value: "a,b" }]],
    ["reason=a\\=b", [{ field: "reason", operator: "=", value: "a=b" }]],
    ["", []],
  ])("parses %j", (selector, expected) => {
    expect(parseFieldSelector(selector)).toEqual(expected);
  });

  it("a term without an operator is 400 naming it", () => {
    expect(() => parseFieldSelector("foo")).toThrow("invalid selector: 'foo'; can't understand 'foo'");
  });

  it("an unsupported field is 400 `field label not supported`", () => {
    expect(() => checkSupportedFields(parseFieldSelector("spec.x=1"), new Set(["metadata.name"]))).toThrow(
      "field label not supported: spec.x",
    );
  });

  it("!= matches a missing field, as kube compares against the empty string", () => {
    const values: Record<string, string> = { type: "" };
    expect(fieldMatcher(parseFieldSelector("type!=Opaque"), (f) => values[f] ?? "")).toBe(true);
    expect(fieldMatcher(parseFieldSelector("type=Opaque"), (f) => values[f] ?? "")).toBe(false);
  });
});
