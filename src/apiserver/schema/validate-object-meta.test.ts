import { describe, expect, it } from "vitest";
import type { ObjectMeta } from "../types.js";
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from "./name-validation.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./validate-object-meta.js";

const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const namePartMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const messages = (meta: ObjectMeta, options: Parameters<typeof validateObjectMeta>[1]) =>
  validateObjectMeta(meta, options).map((e) => `${e.field}: ${e.message}`);

describe("apimachinery's name checks (util/validation), word for word", () => {
  it("IsDNS1123Subdomain: length and form", () => {
    expect(isDNS1123Subdomain("my.name")).toEqual([]);
    expect(isDNS1123Subdomain("My_Name")).toEqual([subdomainMessage]);
    expect(isDNS1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  it("IsDNS1123Label: a valid subdomain with dots is told so", () => {
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
    expect(isDNS1123Label("A")).toEqual([labelMessage]);
  });

  it("IsQualifiedName: prefix and name parts, all problems listed", () => {
    expect(isQualifiedName("example.com/app")).toEqual([]);
    expect(isQualifiedName("/app")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("Example.com/app")).toEqual([`prefix part ${subdomainMessage}`]);
    expect(isQualifiedName("example.com/")).toEqual(["name part must be non-empty", namePartMessage]);
    expect(isQualifiedName("a/b/c")[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/,
    );
  });

  it("IsValidLabelValue: empty allowed, 63 characters at most", () => {
    expect(isValidLabelValue("")).toEqual([]);
    expect(isValidLabelValue("x".repeat(64))).toEqual(["must be no more than 63 characters"]);
  });
});

describe("ValidateObjectMetaAccessor for custom resources and built-in kinds", () => {
  it("requires a name or generateName", () => {
    expect(messages({}, { nameValidation: "dns1123-subdomain" })).toEqual([
      "metadata.name: Required value: name or generateName is required",
    ]);
  });

  it.each([
    ["dns1123-subdomain", "Bad_Name", [`metadata.name: Invalid value: "Bad_Name": ${subdomainMessage}`]],
    ["dns1123-label", "a.b", ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ["path-segment", "..", ["metadata.name: Invalid value: \"..\": may not be '..'"]],
    [
      "path-segment",
      "a/b%c",
      [
        "metadata.name: Invalid value: \"a/b%c\": may not contain '/'",
        "metadata.name: Invalid value: \"a/b%c\": may not contain '%'",
      ],
    ],
    [
      "dns1035-label",
      "1abc",
      [
        "metadata.name: Invalid value: \"1abc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
  ] as const)("names checked as %s: %s", (nameValidation, name, expected) => {
    expect(messages({ name }, { nameValidation })).toEqual(expected);
  });

  it("a generateName may end in a dash (kube masks it before checking)", () => {
    expect(messages({ generateName: "web-" }, { nameValidation: "dns1123-subdomain" })).toEqual([
      "metadata.name: Required value: name or generateName is required",
    ]);
    expect(
      messages({ generateName: "Web-", name: "web-x" }, { nameValidation: "dns1123-subdomain" })[0],
    ).toBe(`metadata.generateName: Invalid value: "Web-": ${subdomainMessage}`);
  });

  it("a namespace is required for namespaced kinds and forbidden for cluster-scoped ones", () => {
    expect(messages({ name: "a" }, { namespaced: true, nameValidation: "dns1123-subdomain" })).toEqual([
      "metadata.namespace: Required value",
    ]);
    expect(
      messages({ name: "a", namespace: "ns" }, { namespaced: false, nameValidation: "dns1123-subdomain" }),
    ).toEqual(["metadata.namespace: Forbidden: not allowed on this type"]);
    expect(
      messages({ name: "a", namespace: "Bad" }, { namespaced: true, nameValidation: "dns1123-subdomain" }),
    ).toEqual([`metadata.namespace: Invalid value: "Bad": ${labelMessage}`]);
  });

  it("labels: key and value errors name the labels map, not the key", () => {
    expect(
      messages({ name: "a", labels: { "bad key!": "ok", ok: "not valid!" } }, "dns1123-subdomain"),
    ).toEqual([
      `metadata.labels: Invalid value: "bad key!": ${namePartMessage}`,
      "metadata.labels: Invalid value: \"not valid!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it("annotations: keys checked lower-cased, total size at most 256 KiB", () => {
    expect(messages({ name: "a", annotations: { "Example.com/Key": "v" } }, "dns1123-subdomain")).toEqual([]);
    expect(
      messages({ name: "a", annotations: { big: "x".repeat(256 * 1024) } }, "dns1123-subdomain"),
    ).toEqual(["metadata.annotations: Too long: may not be more than 262144 bytes"]);
  });

  it("finalizers must be qualified names (errors on the list), not both orphan and foregroundDeletion", () => {
    expect(messages({ name: "a", finalizers: ["no spaces allowed"] }, "dns1123-subdomain")).toEqual([
      `metadata.finalizers: Invalid value: "no spaces allowed": ${namePartMessage}`,
    ]);
    expect(
      messages({ name: "a", finalizers: ["orphan", "foregroundDeletion"] }, "dns1123-subdomain"),
    ).toEqual([
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  it("generation must not be negative; owner references need version, kind, name and uid", () => {
    expect(
      messages(
        { name: "a", generation: -1, ownerReferences: [{ apiVersion: "", kind: "", name: "", uid: "" }] },
        "dns1123-subdomain",
      ),
    ).toEqual([
      "metadata.generation: Invalid value: -1: must be greater than or equal to 0",
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": kind must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": name must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty',
    ]);
  });

  it("managedFields entries: operation Apply or Update, fieldsType FieldsV1", () => {
    expect(
      messages(
        {
          name: "a",
          managedFields: [
            {
              manager: "m",
              operation: "Patch" as never,
              apiVersion: "v1",
              time: "",
              fieldsType: "FieldsV2" as never,
              fieldsV1: {},
            },
          ],
        },
        "dns1123-subdomain",
      ),
    ).toEqual([
      'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
      'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
    ]);
  });

  it("ValidateObjectMetaAccessorUpdate: identity fields are immutable, a resourceVersion is required", () => {
    const old: ObjectMeta = { name: "a", namespace: "ns", uid: "u1", resourceVersion: "1", generation: 2 };
    expect(
      validateObjectMetaUpdate({ name: "b", namespace: "ns", uid: "u1", generation: 1 }, old).map(
        (e) => `${e.field}: ${e.message}`,
      ),
    ).toEqual([
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      "metadata.generation: Invalid value: 1: must not be decremented",
      'metadata.name: Invalid value: "b": field is immutable',
    ]);
  });
});
