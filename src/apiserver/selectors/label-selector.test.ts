import { describe, expect, it } from "vitest";
import { labelMatcher, parseLabelSelector, type LabelRequirement } from "./label-selector.js";

const nameRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const prefixRule =
  "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const valueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const operatorsExpected = "expected: in, notin, =, ==, !=, gt, lt";

const r = (key: string, operator: LabelRequirement["operator"], ...values: string[]): LabelRequirement => ({
  key,
  operator,
  values,
});

describe("parseLabelSelector: apimachinery labels.Parse", () => {
  it.each<[string, string, LabelRequirement[]]>([
    ["Equals", "a=b", [r("a", "=", "b")]],
    ["DoubleEquals, kept distinct as selection.DoubleEquals", "a==b", [r("a", "==", "b")]],
    ["NotEquals", "a!=b", [r("a", "!=", "b")]],
    ["In, with whitespace around every token", " a in ( x , y ) ", [r("a", "in", "x", "y")]],
    ["In keeps its values as a sorted set", "a in (y,x,x)", [r("a", "in", "x", "y")]],
    ["NotIn", "a notin (x)", [r("a", "notin", "x")]],
    ["Exists, inferred from a bare key", "a", [r("a", "exists")]],
    ["DoesNotExist", "!a", [r("a", "!")]],
    ["GreaterThan and LessThan", "a>1,b<2", [r("a", "gt", "1"), r("b", "lt", "2")]],
    [
      "a prefixed key next to an Exists",
      "example.com/app=web,tier",
      [r("example.com/app", "=", "web"), r("tier", "exists")],
    ],
    ["an empty exact value", "a=", [r("a", "=", "")]],
    ["an empty exact value before a comma", "a=,b", [r("a", "=", ""), r("b", "exists")]],
    [
      "the doc example with empty set members",
      "x in (foo,,baz),y,z notin ()",
      [r("x", "in", "", "baz", "foo"), r("y", "exists"), r("z", "notin", "")],
    ],
    ["a leading empty member", "a in (,x)", [r("a", "in", "", "x")]],
    ["a trailing empty member", "a in (x,)", [r("a", "in", "", "x")]],
    ["keywords as values (Values context)", "a in (in,notin)", [r("a", "in", "in", "notin")]],
    ["keywords as key and value", "in=notin", [r("in", "=", "notin")]],
    ["requirements sorted by key", "b=1,a=2", [r("a", "=", "2"), r("b", "=", "1")]],
    ["tab, CR and LF as whitespace", "\ta\n=\r b", [r("a", "=", "b")]],
    ["no requirements", "", []],
    ["only whitespace", "  ", []],
    ["a NUL after whitespace ends the input", "a=b \u0000c d", [r("a", "=", "b")]],
  ])("%s: %j", (_behaviour, selector, expected) => {
    expect(parseLabelSelector(selector)).toEqual(expected);
  });

  it.each<[string, string, string]>([
    ["an unterminated set", "a in (b", "unable to parse requirement: found '', expected: ',' or ')'"],
    [
      "a word where an operator belongs",
      "a b",
      `unable to parse requirement: found 'b', ${operatorsExpected}`,
    ],
    [
      "`!` then `=` apart is no operator",
      "a ! = b",
      `unable to parse requirement: found '!', ${operatorsExpected}`,
    ],
    ["a trailing comma (not wrapped)", "a=b,", "found '', expected: identifier after ','"],
    ["two commas", "a=b,,c", "found ',', expected: identifier after ','"],
    ["a term after a complete requirement", "a=b c", "found 'c', expected: ',' or 'end of string'"],
    ["a second operator", "a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["an operator after !key", "!a=b", "found '=', expected: ',' or 'end of string'"],
    ["`!` alone", "!", "unable to parse requirement: found '', expected: identifier"],
    ["an operator first", "!=a", "found '!=', expected: !, identifier, or 'end of string'"],
    ["a leading comma", ",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["in without parentheses", "a in b", "unable to parse requirement: found 'b' expected: '('"],
    [
      "an operator inside a set",
      "a in (=)",
      "unable to parse requirement: found '=', expected: ',', ')' or identifier",
    ],
    ["two words in a set", "a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"],
    [
      "an operator after a comma in a set",
      "a in (,=)",
      "unable to parse requirement: found '=', expected: ',', or identifier",
    ],
    [
      "a parenthesis as an exact value",
      "a=(",
      "unable to parse requirement: found '(', expected: identifier",
    ],
    [
      "Gt with a word",
      "a>b",
      `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      "Gt with nothing",
      "a>",
      `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      "Lt with a fraction",
      "a<1.5",
      `unable to parse requirement: values[0]: Invalid value: "1.5": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      "Gt beyond int64",
      "a>9223372036854775808",
      `unable to parse requirement: values[0]: Invalid value: "9223372036854775808": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      "Gt with a negative number, which is no label value",
      "a>-1",
      `unable to parse requirement: values[0][a]: Invalid value: "-1": ${valueRule}`,
    ],
    [
      "a key that starts with a dash",
      "-bad-=x",
      `unable to parse requirement: <nil>: Invalid value: "-bad-": ${nameRule}`,
    ],
    [
      "a key prefix that is no DNS subdomain",
      "Bad_Prefix/a=x",
      `unable to parse requirement: <nil>: Invalid value: "Bad_Prefix/a": ${prefixRule}`,
    ],
    [
      "a key with two slashes",
      "a/b/c",
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
    [
      "an empty prefix",
      "/a",
      `unable to parse requirement: <nil>: Invalid value: "/a": prefix part must be non-empty`,
    ],
    [
      "an empty name: both messages, joined by '; '",
      "a/",
      `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; ${nameRule}`,
    ],
    [
      "a 64-character name",
      `${"k".repeat(64)}`,
      `unable to parse requirement: <nil>: Invalid value: "${"k".repeat(64)}": name part must be no more than 63 characters`,
    ],
    [
      "a 64-character value",
      `a=${"v".repeat(64)}`,
      `unable to parse requirement: values[0][a]: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
    ],
    [
      "a value with a slash",
      "a=b/c",
      `unable to parse requirement: values[0][a]: Invalid value: "b/c": ${valueRule}`,
    ],
    [
      "two bad values, aggregated in brackets",
      "a in (-y,-x)",
      `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${valueRule}, values[1][a]: Invalid value: "-y": ${valueRule}]`,
    ],
  ])("rejects %s (%j) with apimachinery's text", (_behaviour, selector, message) => {
    let thrown: unknown;
    try {
      parseLabelSelector(selector);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 400, reason: "BadRequest", message });
  });
});

describe("labelMatcher: apimachinery Requirement.Matches", () => {
  const inSix = "a in (v1,v2,v3,v4,v5,v6)";
  it.each<[string, string, Record<string, string> | undefined, boolean]>([
    ["Equals needs the value", "a=b", { a: "b" }, true],
    ["Equals fails on another value", "a=b", { a: "c" }, false],
    ["Equals fails without the label", "a=b", {}, false],
    ["Equals fails without labels at all", "a=b", undefined, false],
    ["DoubleEquals is Equals", "a==b", { a: "b" }, true],
    ["NotEquals matches an absent label", "a!=b", {}, true],
    ["NotEquals matches no labels at all", "a!=b", undefined, true],
    ["NotEquals fails on the value", "a!=b", { a: "b" }, false],
    ["NotEquals matches another value", "a!=b", { a: "c" }, true],
    ["In matches a member", "a in (x,y)", { a: "y" }, true],
    ["In fails without the label", "a in (x,y)", {}, false],
    ["In with many values (a Set) matches a member", inSix, { a: "v6" }, true],
    ["In with many values fails on a non-member", inSix, { a: "v7" }, false],
    ["NotIn matches an absent label", "a notin (x)", {}, true],
    ["NotIn fails on a member", "a notin (x)", { a: "x" }, false],
    ["NotIn matches a non-member", "a notin (x)", { a: "y" }, true],
    ["Exists matches an empty value", "a", { a: "" }, true],
    ["Exists fails without the label", "a", {}, false],
    ["DoesNotExist fails on an empty value", "!a", { a: "" }, false],
    ["DoesNotExist matches without the label", "!a", {}, true],
    ["DoesNotExist matches no labels at all", "!a", undefined, true],
    ["Gt compares as integers", "a>5", { a: "10" }, true],
    ["Gt is strict", "a>5", { a: "5" }, false],
    ["Gt fails on a non-integer", "a>5", { a: "x" }, false],
    ["Gt fails without the label", "a>5", {}, false],
    ["Lt accepts a signed value", "a<5", { a: "-1" }, true],
    ["Lt accepts a plus sign as strconv.ParseInt does", "a<5", { a: "+4" }, true],
    ["Gt is exact beyond 2^53", "a>9007199254740993", { a: "9007199254740994" }, true],
    ["Gt is exact at 2^53 + 1", "a>9007199254740993", { a: "9007199254740993" }, false],
    ["Gt fails on a value beyond int64", "a>1", { a: "9223372036854775808" }, false],
    ["requirements are ANDed", "a=b,c", { a: "b", c: "" }, true],
    ["requirements are ANDed (one fails)", "a=b,c", { a: "b" }, false],
    ["the empty selector matches everything", "", undefined, true],
    ["a prototype member is no label (Exists)", "constructor", {}, false],
    ["a prototype member is no label (DoesNotExist)", "!toString", {}, true],
    ["a prototype member is no label (NotEquals)", "constructor!=x", {}, true],
  ])("%s: %j against %j is %s", (_behaviour, selector, labels, expected) => {
    expect(labelMatcher(parseLabelSelector(selector))(labels)).toBe(expected);
  });
});
