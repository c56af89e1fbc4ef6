import { describe, expect, it } from "vitest";
import { createManifestAjv } from "./manifest-ajv.js";
import { toJsonSchema } from "./openapi-to-json-schema.js";

describe("toJsonSchema", () => {
  const ajv = createManifestAjv();
  const accepts = (schema: Record<string, unknown>, value: unknown) =>
    ajv.compile(toJsonSchema(schema, false))(value);

  it("lets null through where the schema is nullable, and only there", () => {
    expect(accepts({ type: "string", nullable: true }, null)).toBe(true);
    expect(accepts({ type: "string", enum: ["a"], nullable: true }, null)).toBe(true);
    expect(accepts({ type: "string" }, null)).toBe(false);
  });

  it("reads int-or-string as an integer or a string, with the pattern on strings only", () => {
    const quantity = { "x-kubernetes-int-or-string": true, pattern: "^[0-9]+Mi$" };
    expect(accepts(quantity, 5)).toBe(true);
    expect(accepts(quantity, "5Mi")).toBe(true);
    expect(accepts(quantity, "5 megs")).toBe(false);
    expect(accepts(quantity, 1.5)).toBe(false);
  });

  it("closes objects unless they preserve unknown fields", () => {
    const closed = { type: "object", properties: { a: { type: "string" } } };
    expect(accepts(closed, { b: 1 })).toBe(false);
    expect(accepts({ ...closed, "x-kubernetes-preserve-unknown-fields": true }, { b: 1 })).toBe(true);
    expect(
      accepts({ type: "object", "x-kubernetes-preserve-unknown-fields": true }, { any: { thing: [1] } }),
    ).toBe(true);
  });

  it("leaves the root's metadata open and narrows only its name", () => {
    const root = {
      type: "object",
      properties: { metadata: { type: "object", properties: { name: { type: "string", maxLength: 3 } } } },
    };
    const validate = ajv.compile(toJsonSchema(root));
    expect(validate({ metadata: { name: "abc", labels: { a: "b" } } })).toBe(true);
    expect(validate({ metadata: { name: "abcd" } })).toBe(false);
  });

  it("knows the Kubernetes vendor extensions and still fails on a misspelled keyword", () => {
    expect(() =>
      ajv.compile(
        toJsonSchema(
          { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set", maxItems: 2 },
          false,
        ),
      ),
    ).not.toThrow();
    expect(() => ajv.compile(toJsonSchema({ type: "string", maxlength: 2 }, false))).toThrow(/maxlength/);
  });
});
