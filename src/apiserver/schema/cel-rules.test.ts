import { describe, expect, it } from "vitest";
import { toCelValue } from "./cel-values.js";
import type { JsonSchemaProps } from "./structural-schema.js";
import { compileErrors, compileSchema } from "./structural-schema.js";
import { validateCel } from "./validate-cel.js";

/** Runs one rule on `spec` and returns the messages it produces (empty when it holds). */
function rule(rule: string, spec: unknown, properties: Record<string, JsonSchemaProps> = {}): string[] {
  const schema = compileSchema({
    type: "object",
    properties: {
      spec: {
        type: "object",
        "x-kubernetes-preserve-unknown-fields": true,
        properties,
        "x-kubernetes-validations": [{ rule }],
      },
    },
  });
  const problems = compileErrors(schema);
  if (problems.length > 0) return problems;
  return validateCel(schema, { spec }, undefined).errors.map((e) => `${e.field}: ${e.message}`);
}

const props: Record<string, JsonSchemaProps> = {
  name: { type: "string" },
  count: { type: "integer" },
  ratio: { type: "number" },
  tags: { type: "array", items: { type: "string" } },
  nums: { type: "array", items: { type: "integer" } },
  labels: { type: "object", additionalProperties: { type: "string" } },
  when: { type: "string", format: "date-time" },
  timeout: { type: "string", format: "duration" },
  port: { "x-kubernetes-int-or-string": true },
  "x-y": { type: "string" },
  namespace: { type: "string" },
  memory: { type: "string" },
  url: { type: "string" },
  cidr: { type: "string" },
};

describe("CEL rules with kube's library functions", () => {
  it.each([
    ["size", "size(self.name) == 3", { name: "abc" }],
    ["has on an optional field", "!has(self.count)", {}],
    [
      "startsWith/endsWith/contains",
      "self.name.startsWith('a') && self.name.endsWith('c') && self.name.contains('b')",
      { name: "abc" },
    ],
    ["matches with RE2 syntax ((?i) flags)", "self.name.matches('(?i)^ABC$')", { name: "abc" }],
    ["matches as a function", "matches(self.name, '^a')", { name: "abc" }],
    [
      "all / exists / exists_one",
      "self.tags.all(t, t != '') && self.tags.exists(t, t == 'a') && self.tags.exists_one(t, t == 'b')",
      { tags: ["a", "b"] },
    ],
    ["map and filter", "self.nums.filter(n, n > 1).map(n, n * 2) == [4, 6]", { nums: [1, 2, 3] }],
    ["all over a map's keys", "self.labels.all(k, k.startsWith('app'))", { labels: { app: "x", apps: "y" } }],
    [
      "integer fields are ints, number fields doubles",
      "self.count + 1 == 3 && self.ratio > 0.5",
      { count: 2, ratio: 1 },
    ],
    [
      "int-or-string checked with type()",
      "type(self.port) == int ? self.port < 65536 : self.port.endsWith('%')",
      { port: "50%" },
    ],
    [
      "date-time strings are timestamps",
      "self.when < timestamp('2030-01-01T00:00:00Z')",
      { when: "2024-01-01T00:00:00Z" },
    ],
    ["duration strings are durations", "self.timeout > duration('1m')", { timeout: "5m" }],
    [
      "escaped property names",
      "self.x__dash__y == 'v' && self.__namespace__ == 'ns'",
      { "x-y": "v", namespace: "ns" },
    ],
    ["optional field access", "self.?count.orValue(7) == 7", {}],
    ["cel.bind", "cel.bind(n, size(self.tags), n == 2)", { tags: ["a", "b"] }],
    [
      "strings: charAt, replace, split, join, lowerAscii, format",
      "self.name.charAt(0) == 'a' && 'a-b'.replace('-', '_') == 'a_b' && 'a,b'.split(',').join('+') == 'a+b' && 'AB'.lowerAscii() == 'ab' && '%d-%s'.format([1, 2]) == '1-2'",
      { name: "abc" },
    ],
    [
      "lists: isSorted, sum, min, max, indexOf",
      "self.nums.isSorted() && self.nums.sum() == 6 && self.nums.min() == 1 && self.nums.max() == 3 && self.nums.indexOf(2) == 1",
      { nums: [1, 2, 3] },
    ],
    [
      "regex: find, findAll",
      "self.name.find('[0-9]+') == '42' && self.name.findAll('[a-z]') == ['a', 'b']",
      { name: "a42b" },
    ],
    [
      "sets: contains, intersects, equivalent",
      "sets.contains(self.tags, ['a']) && sets.intersects(self.tags, ['z', 'b']) && sets.equivalent(self.tags, ['b', 'a'])",
      { tags: ["a", "b"] },
    ],
    [
      "quantity",
      "quantity(self.memory).compareTo(quantity('1Gi')) < 0 && isQuantity(self.memory)",
      { memory: "512Mi" },
    ],
    [
      "url",
      "isURL(self.url) && url(self.url).getHostname() == 'example.com' && url(self.url).getScheme() == 'https'",
      { url: "https://example.com:8443/x" },
    ],
    [
      "ip and cidr",
      "isCIDR(self.cidr) && cidr(self.cidr).containsIP('10.1.2.3') && ip('10.1.2.3').family() == 4",
      { cidr: "10.0.0.0/8" },
    ],
  ])("%s", (_, expression, spec) => {
    expect(rule(expression, spec, props)).toEqual([]);
  });

  it.each([
    [
      "a missing field",
      "self.count > 0",
      {},
      'spec: Invalid value: "object": no such key: count evaluating rule: self.count > 0',
    ],
    [
      "an index out of range",
      "self.tags[3] == 'x'",
      { tags: ["a"] },
      "spec: Invalid value: \"object\": index '3' out of range in list size '1' evaluating rule: self.tags[3] == 'x'",
    ],
    [
      "division by zero",
      "self.count / 0 == 1",
      { count: 1 },
      'spec: Invalid value: "object": division by zero evaluating rule: self.count / 0 == 1',
    ],
    [
      "an operator no overload accepts (int-or-string is dynamic)",
      "self.port + 1 > 0",
      { port: "http" },
      "spec: Invalid value: \"object\": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self.port + 1 > 0",
    ],
    [
      "min of an empty list",
      "self.nums.min() > 0",
      { nums: [] },
      'spec: Invalid value: "object": min called on empty list evaluating rule: self.nums.min() > 0',
    ],
  ])("a runtime error (%s) is reported as kube words it", (_, expression, spec, message) => {
    expect(rule(expression, spec, props)).toEqual([message]);
  });

  it.each([
    ["an undefined field", "self.nope == 1", "undefined field 'nope'"],
    ["an unknown function", "frobnicate(self.name)", "found no matching overload for 'frobnicate(dyn)'"],
    ["an invalid regex literal", "self.name.matches('(')", "invalid matches argument: error parsing regexp"],
    ["an invalid duration literal", "duration('5 parsecs') > duration('1s')", "invalid duration argument"],
    ["a mixed list literal", "self.name in ['a', 1]", "List elements must have the same type"],
    ["unsupported CEL extensions (math)", "math.greatest(1, 2) == 2", "Unknown variable: math"],
  ])("%s does not compile", (_, expression, message) => {
    const [problem] = rule(expression, {}, props);
    expect(problem).toContain("compilation failed: ERROR: <input>:");
    expect(problem).toContain(message);
  });
});

describe("values as kube's CEL sees them", () => {
  it("exposes only typed, escapable properties; a resource root shows apiVersion, kind, metadata.name/generateName", () => {
    const schema = compileSchema({
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            a: { type: "integer" },
            "1bad": { type: "string" },
            untyped: {},
            "dotted.name": { type: "string" },
          },
        },
      },
    });
    expect(
      toCelValue(
        schema,
        {
          apiVersion: "v1",
          kind: "K",
          metadata: { name: "n", labels: { x: "y" } },
          spec: { a: 1, "1bad": "x", untyped: 2, "dotted.name": "d" },
        },
        true,
      ),
    ).toEqual({
      apiVersion: "v1",
      kind: "K",
      metadata: { name: "n" },
      spec: { a: 1n, dotted__dot__name: "d" },
    });
  });
});
