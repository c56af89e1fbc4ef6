import { describe, expect, it, vi } from "vitest";
import type { KubeObject } from "../types.js";
import { ruleEnvironment } from "./cel-library.js";
import { processCustomResource } from "./process-custom-resource.js";
import { compileErrors, compileSchema, schemaFieldErrors } from "./structural-schema.js";

describe("compiling a CRD version's structural schema", () => {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          size: {
            type: "string",
            pattern: "^[a-z]+$",
            "x-kubernetes-validations": [{ rule: "self != 'x'" }],
          },
          uuid: { type: "string", format: "uuid" },
          fancy: { type: "string", format: "no-such-format" },
          count: { type: "integer", format: "int32" },
          flag: { type: "boolean", format: "date-time" },
          port: { "x-kubernetes-int-or-string": true },
          withDefault: { type: "string", default: "x" },
          nullDefault: { type: "string", default: null },
        },
      },
    },
  };

  it("is done once per schema object: the compiled node is reused for every request", () => {
    expect(compileSchema(schema)).toBe(compileSchema(schema));
    expect(compileSchema(structuredClone(schema))).not.toBe(compileSchema(schema));
  });

  it("compiles CEL rules once: requests evaluate the compiled programs without parsing", () => {
    const compiled = compileSchema(schema);
    const parse = vi.spyOn(Object.getPrototypeOf(ruleEnvironment) as typeof ruleEnvironment, "parse");
    try {
      for (let i = 0; i < 3; i++) {
        const object: KubeObject = {
          apiVersion: "v1",
          kind: "K",
          metadata: { name: "a" },
          spec: { size: "ok" },
        };
        expect(processCustomResource(compiled, object).errors).toEqual([]);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it("keeps only the formats kube validates for the type, as StripUnsupportedFormats does", () => {
    const spec = compileSchema(schema).properties?.get("spec");
    expect(spec?.properties?.get("uuid")?.format).toBe("uuid");
    expect(spec?.properties?.get("fancy")?.format).toBeUndefined();
    expect(spec?.properties?.get("count")?.format).toBe("int32");
    expect(spec?.properties?.get("flag")?.format).toBeUndefined();
  });

  it("int-or-string accepts integer and string; `default: null` is no default", () => {
    const spec = compileSchema(schema).properties?.get("spec");
    expect(spec?.properties?.get("port")?.types).toEqual(["integer", "string"]);
    expect(spec?.properties?.get("withDefault")?.hasDefault).toBe(true);
    expect(spec?.properties?.get("nullDefault")?.hasDefault).toBe(false);
  });

  it("marks which subtrees have defaults and rules, so requests skip the rest", () => {
    const root = compileSchema(schema);
    expect(root.subtree).toEqual({ defaults: true, rules: true, embedded: false, listInvariants: false });
    expect(root.properties?.get("spec")?.properties?.get("uuid")?.subtree.rules).toBe(false);
  });

  it("reports patterns and rules that kube would refuse when the CRD is written, by schema path", () => {
    const broken = {
      type: "object",
      properties: {
        a: { type: "string", pattern: "(" },
        b: {
          type: "object",
          properties: { x: { type: "integer" } },
          "x-kubernetes-validations": [
            { rule: "self.x ==" },
            { rule: "self.y > 0" },
            { rule: "self.x" },
            { rule: "size(self.x) > 0", reason: "Bogus" },
            { rule: "" },
            { rule: "self.x > 0", fieldPath: ".nope" },
            { rule: "self.x > 0", messageExpression: "1" },
            { rule: "unknownFunction(self)" },
          ],
        },
      },
    };
    const errors = compileErrors(broken);
    expect(errors).toHaveLength(9);
    expect(errors[0]).toMatch(
      /^openAPIV3Schema\.properties\[a\]\.pattern: Invalid value: "\(": must be a valid regular expression, but isn't: error parsing regexp:/,
    );
    expect(errors[1]).toBe(
      'openAPIV3Schema.properties[b].x-kubernetes-validations[0].rule: Invalid value: "self.x ==": compilation failed: ERROR: <input>:1:10: Syntax error: Unexpected token: EOF\n | self.x ==\n | .........^',
    );
    expect(errors[2]).toBe(
      "openAPIV3Schema.properties[b].x-kubernetes-validations[1].rule: Invalid value: \"self.y > 0\": compilation failed: ERROR: <input>:1:5: undefined field 'y'\n | self.y > 0\n | ....^",
    );
    expect(errors[3]).toBe(
      'openAPIV3Schema.properties[b].x-kubernetes-validations[2].rule: Invalid value: "self.x": cel expression must evaluate to a bool',
    );
    expect(errors[4]).toBe(
      'openAPIV3Schema.properties[b].x-kubernetes-validations[3].reason: Unsupported value: "Bogus": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
    );
    expect(errors[5]).toBe(
      "openAPIV3Schema.properties[b].x-kubernetes-validations[4].rule: Required value: rule is not specified",
    );
    expect(errors[6]).toBe(
      'openAPIV3Schema.properties[b].x-kubernetes-validations[5].fieldPath: Invalid value: ".nope": fieldPath must be a valid path: does not refer to a valid field',
    );
    expect(errors[7]).toBe(
      'openAPIV3Schema.properties[b].x-kubernetes-validations[6].messageExpression: Invalid value: "1": messageExpression must evaluate to a string',
    );
    expect(errors[8]).toMatch(
      /^openAPIV3Schema\.properties\[b\]\.x-kubernetes-validations\[7\]\.rule: Invalid value: "unknownFunction\(self\)": compilation failed: ERROR: <input>:1:1: found no matching overload for 'unknownFunction\(dyn\)'/,
    );
    expect(compileErrors(compileSchema(broken))).toEqual(errors);
  });

  it("refuses oldSelf where kube cannot correlate old and new values (items of a non-map list)", () => {
    const schema = {
      type: "object",
      properties: {
        l: {
          type: "array",
          items: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf" }] },
        },
      },
    };
    expect(compileErrors(schema)).toEqual([
      'openAPIV3Schema.properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within openAPIV3Schema.properties[l]',
    ]);
  });

  it("offers the problems as field errors under the CRD's path, for a 422 on the CRD", () => {
    expect(
      schemaFieldErrors(
        { type: "object", properties: { a: { type: "string", pattern: "(" } } },
        "spec.versions[0].schema",
      ),
    ).toEqual([
      expect.objectContaining({
        reason: "FieldValueInvalid",
        field: "spec.versions[0].schema.openAPIV3Schema.properties[a].pattern",
      }),
    ]);
  });
});
