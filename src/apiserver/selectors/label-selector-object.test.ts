import { describe, expect, it } from "vitest";
import {
  labelSelectorMatcher,
  requirementsFromLabelSelector,
  type LabelSelector,
} from "./label-selector-object.js";

const valueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const nameRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe("requirementsFromLabelSelector: metav1.LabelSelectorAsSelector", () => {
  it("turns matchLabels into Equals, then each expression's operator into its selection.Operator", () => {
    expect(
      requirementsFromLabelSelector({
        matchLabels: { app: "web" },
        matchExpressions: [
          { key: "tier", operator: "In", values: ["b", "a"] },
          { key: "track", operator: "NotIn", values: ["canary"] },
          { key: "owner", operator: "Exists" },
          { key: "legacy", operator: "DoesNotExist" },
        ],
      }),
    ).toEqual([
      { key: "app", operator: "=", values: ["web"] },
      { key: "tier", operator: "in", values: ["b", "a"] },
      { key: "track", operator: "notin", values: ["canary"] },
      { key: "owner", operator: "exists", values: [] },
      { key: "legacy", operator: "!", values: [] },
    ]);
  });

  it.each<[string, LabelSelector, string]>([
    [
      "an unknown operator, quoted as Go's %q",
      { matchExpressions: [{ key: "a", operator: "Near" }] },
      '"Near" is not a valid label selector operator',
    ],
    [
      "an operator spelled as the string syntax spells it",
      { matchExpressions: [{ key: "a", operator: "in", values: ["x"] }] },
      '"in" is not a valid label selector operator',
    ],
    [
      "a prototype member as operator",
      { matchExpressions: [{ key: "a", operator: "constructor" }] },
      '"constructor" is not a valid label selector operator',
    ],
    [
      "In without values (a nil slice, printed as null)",
      { matchExpressions: [{ key: "a", operator: "In" }] },
      "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty",
    ],
    [
      "Exists with values (printed as JSON)",
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x", "y"] }] },
      'values: Invalid value: ["x","y"]: values set must be empty for exists and does not exist',
    ],
    [
      "several errors at once, aggregated, with Go's HTML-safe JSON",
      { matchExpressions: [{ key: "a", operator: "Exists", values: ["x<y"] }] },
      `[values: Invalid value: ["x\\u003cy"]: values set must be empty for exists and does not exist, values[0][a]: Invalid value: "x<y": ${valueRule}]`,
    ],
    [
      "an invalid key, reported under `key`",
      { matchLabels: { "a b": "x" } },
      `key: Invalid value: "a b": ${nameRule}`,
    ],
    [
      "an invalid value, reported under `values[i][key]`",
      { matchExpressions: [{ key: "a", operator: "In", values: ["ok", "-x"] }] },
      `values[1][a]: Invalid value: "-x": ${valueRule}`,
    ],
  ])("refuses %s with a 400", (_behaviour, selector, message) => {
    let thrown: unknown;
    try {
      requirementsFromLabelSelector(selector);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 400, reason: "BadRequest", message });
  });
});

describe("labelSelectorMatcher: nil matches nothing, empty matches everything", () => {
  it.each<[string, LabelSelector | null | undefined, Record<string, string> | undefined, boolean]>([
    ["a missing selector (labels.Nothing)", undefined, { a: "b" }, false],
    ["a null selector (labels.Nothing)", null, {}, false],
    ["an empty selector (labels.Everything)", {}, undefined, true],
    ["empty lists (labels.Everything)", { matchLabels: {}, matchExpressions: [] }, { a: "b" }, true],
    [
      "matchLabels and an expression, both met",
      { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["a"] }] },
      { app: "web", tier: "a" },
      true,
    ],
    [
      "DoesNotExist met by the label being present",
      { matchExpressions: [{ key: "legacy", operator: "DoesNotExist" }] },
      { legacy: "" },
      false,
    ],
    [
      "NotIn matches objects without the label",
      { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["a"] }] },
      {},
      true,
    ],
  ])("%s", (_behaviour, selector, labels, expected) => {
    expect(labelSelectorMatcher(selector)(labels)).toBe(expected);
  });
});
