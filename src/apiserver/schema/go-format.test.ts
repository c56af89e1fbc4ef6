import { describe, expect, it } from "vitest";
import {
  duplicate,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
  tooMany,
  typeInvalid,
} from "./field-error.js";
import { goFloat, goQuote, goSharpV, goStringSlice } from "./go-format.js";

describe("values printed as Go's fmt prints them in kube's error texts", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["tab\tnew\nline", '"tab\\tnew\\nline"'],
    ["bell\x07", '"bell\\a"'],
    ["nul\x00", '"nul\\x00"'],
    ["café ☃", '"café ☃"'],
    ["nbsp\u00a0", '"nbsp\\u00a0"'],
  ])("strconv.Quote(%j) is %s", (value, quoted) => {
    expect(goQuote(value)).toBe(quoted);
  });

  it.each([
    [1.5, "1.5"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [123456.5, "123456.5"],
    [1234567.5, "1.2345675e+06"],
    [1e21, "1e+21"],
    [-2.5e-7, "-2.5e-07"],
  ])("float64 %d prints as %s (%%v)", (value, printed) => {
    expect(goFloat(value)).toBe(printed);
  });

  it("%#v of decoded JSON: sorted map keys, interface{} slices, nil inside", () => {
    expect(goSharpV({ name: "a", port: 80 })).toBe('map[string]interface {}{"name":"a", "port":80}');
    expect(goSharpV(["a", 1, null, 1.5])).toBe('[]interface {}{"a", 1, interface {}(nil), 1.5}');
    expect(goSharpV({})).toBe("map[string]interface {}{}");
    expect(goStringSlice(["orphan", "foregroundDeletion"]).text).toBe(
      '[]string{"orphan", "foregroundDeletion"}',
    );
  });
});

describe("field errors as apimachinery's field.Error.ErrorBody prints them (kube 1.32)", () => {
  it.each([
    [required("spec.name"), "FieldValueRequired", "Required value"],
    [
      required("metadata.name", "name or generateName is required"),
      "FieldValueRequired",
      "Required value: name or generateName is required",
    ],
    [forbidden("spec", "is immutable"), "FieldValueForbidden", "Forbidden: is immutable"],
    [invalid("spec.n", 3, "too big"), "FieldValueInvalid", "Invalid value: 3: too big"],
    [invalid("spec.n", "x", "bad"), "FieldValueInvalid", 'Invalid value: "x": bad'],
    [invalid("<nil>", null, "note"), "FieldValueInvalid", 'Invalid value: "null": note'],
    [
      invalid("spec.m", { a: 1 }, "bad"),
      "FieldValueInvalid",
      'Invalid value: map[string]interface {}{"a":1}: bad',
    ],
    [typeInvalid("spec.n", "string", "d"), "FieldValueTypeInvalid", 'Invalid value: "string": d'],
    [duplicate("spec.l[1]", "a"), "FieldValueDuplicate", 'Duplicate value: "a"'],
    [
      duplicate("spec.l[1]", { name: "a" }),
      "FieldValueDuplicate",
      'Duplicate value: map[string]interface {}{"name":"a"}',
    ],
    [
      notSupported("spec.mode", "x", ["a", "b"]),
      "FieldValueNotSupported",
      'Unsupported value: "x": supported values: "a", "b"',
    ],
    [tooLong("spec.name", 63), "FieldValueTooLong", "Too long: may not be more than 63 bytes"],
    [tooLong("spec.name", 1), "FieldValueTooLong", "Too long: may not be more than 1 byte"],
    [tooMany("spec.items", 5, 3), "FieldValueTooMany", "Too many: 5: must have at most 3 items"],
    [tooMany("spec.items", 2, 1), "FieldValueTooMany", "Too many: 2: must have at most 1 item"],
  ])("%j", (error, reason, message) => {
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(message);
  });
});
