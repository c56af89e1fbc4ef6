import { describe, expect, it } from "vitest";
import { labelMatcher, parseLabelSelector, requirementsFromLabelSelector } from "./label-selector.js";

describe("label selectors (apimachinery labels.Parse)", () => {
  it.each([
    ["a=b", [{ key: "a", operator: "=", values: ["b"] }]],
    ["a==b", [{ key: "a", operator: "=", values: ["b"] }]],
    ["a!=b", [{ key: "a", operator: "!=", values: ["b"] }]],
    [" a in ( x , y ) ", [{ key: "a", operator: "in", values: ["x", "y"] }]],
    ["a notin (x)", [{ key: "a", operator: "notin", values: ["x"] }]],
    ["a", [{ key: "a", operator: "exists", values: [] }]],
    ["!a", [{ key: "a", operator: "!", values: [] }]],
    [
      "a>1,b<2",
      [
        { key: "a", operator: "gt", values: ["1"] },
        { key: "b", operator: "lt", values: ["2"] },
      ],
    ],
    [
      "example.com/app=web,tier",
      [
        { key: "example.com/app", operator: "=", values: ["web"] },
        { key: "tier", operator: "exists", values: [] },
      ],
    ],
    ["a=", [{ key: "a", operator: "=", values: [""] }]],
    ["", []],
  ])("parses %j", (selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each([
    ["a in (b", /unable to parse requirement: found '', expected: ',' or '\)'/],
    ["a b", /unable to parse requirement: found 'b'/],
    ["a=b,", /unable to parse requirement: found '', expected: identifier/],
    ["a>b", /the value must be an integer/],
    ["-bad-=x", /Invalid value: "-bad-": name part must consist of alphanumeric characters/],
    ["Bad_Prefix/a=x", /prefix part a lowercase RFC 1123 subdomain/],
    ["a=" + "v".repeat(64), /a valid label must be an empty string or consist of alphanumeric characters/],
  ])("rejects %j with a 400 naming the problem", (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
    try {
      parseLabelSelector(selector);
    } catch (error) {
      expect(error).toMatchObject({ code: 400, reason: "BadRequest" });
    }
  });

  it.each([
    ["a=b", { a: "b" }, true],
    ["a=b", {}, false],
    ["a!=b", {}, true],
    ["a!=b", { a: "b" }, false],
    ["a notin (x)", {}, true],
    ["a notin (x)", { a: "x" }, false],
    ["a", { a: "" }, true],
    ["!a", { a: "" }, false],
    ["a>5", { a: "10" }, true],
    ["a>5", { a: "x" }, false],
    ["a<5", { a: "-1" }, true],
  ])("%j matches %j: %s", (selector, labels, expected) => {
    expect(labelMatcher(parseLabelSelector(selector))(labels)).toBe(expected);
  });

  it("a metav1.LabelSelector object becomes the same requirements", () => {
    const requirements = requirementsFromLabelSelector({
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["a", "b"] },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    });
    const matches = labelMatcher(requirements);
    expect(matches({ app: "web", tier: "a" })).toBe(true);
    expect(matches({ app: "web", tier: "a", legacy: "1" })).toBe(false);
    expect(() =>
      requirementsFromLabelSelector({ matchExpressions: [{ key: "a", operator: "Near" }] }),
    ).toThrow(/not a valid label selector operator/);
  });
});
