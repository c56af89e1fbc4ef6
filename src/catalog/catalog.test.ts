import { basename, dirname, extname, relative } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/types.js";
import { verificationSchemes } from "../api/schema/enumerations.js";
import { validateManifest } from "../api/validate.js";
import { loadManifests } from "../manifests/load-manifests.js";
import { connectorProblems } from "../operator/controllers/connector-validation.js";

// The catalog: every file under connectors/, one ClusterConnector each.
const catalog = (await loadManifests(["connectors"])).map(({ object, file, document }) => ({
  file: relative("connectors", file),
  path: file,
  document,
  object,
  spec: (object as { spec?: ConnectorSpec }).spec as ConnectorSpec,
}));

// Event schemas are JSON Schemas written by connector authors; compiled without ajv strict mode.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);

const samples = catalog.flatMap(({ file, spec }) =>
  (spec?.events ?? [])
    .filter((event) => event.schema !== undefined && event.sample !== undefined)
    .map((event) => [`${file} ${event.type}`, event.schema as object, event.sample] as const),
);

describe("the connector catalog", () => {
  it("has connectors", () => {
    expect(catalog.length).toBeGreaterThan(0);
  });

  it.each(catalog.map((entry) => [entry.file, entry] as const))(
    "%s is one valid ClusterConnector",
    (_, { path, object, document }) => {
      expect(
        catalog.filter((other) => other.path === path),
        "one document per file",
      ).toHaveLength(1);
      expect(document).toBe(0);
      expect(object.kind).toBe("ClusterConnector");
      expect(validateManifest(object)).toEqual({ ok: true });
    },
  );

  it.each(catalog.map((entry) => [entry.file, entry] as const))(
    "%s has no problems beyond its schema",
    (_, { spec }) => {
      expect(connectorProblems(spec)).toEqual([]);
    },
  );

  it.each(catalog.map((entry) => [entry.file, entry] as const))(
    "%s is filed as connectors/<category>/<name>.yaml",
    (file, { object, spec }) => {
      expect(extname(file)).toBe(".yaml");
      expect(basename(file, ".yaml")).toBe(object.metadata.name);
      expect(dirname(file)).toBe(spec.category);
      expect(object.metadata.labels?.["switchboard.dev/category"]).toBe(spec.category);
    },
  );

  it.each(catalog.map((entry) => [entry.file, entry] as const))(
    "%s links the vendor documentation it was written from",
    (_, { spec }) => {
      expect(spec.documentation?.length ?? 0).toBeGreaterThan(0);
      expect(spec.rateLimits?.documentation).toMatch(/^https:\/\//);
      const urls = (spec.documentation ?? []).map((link) => link.url);
      expect(new Set(urls).size, "no link listed twice").toBe(urls.length);
    },
  );

  it.each(catalog.map((entry) => [entry.file, entry] as const))(
    "%s documents its events and actions",
    (_, { spec }) => {
      for (const event of spec.events ?? []) expect(event.description, event.type).toBeTruthy();
      for (const action of spec.actions ?? []) expect(action.description, action.name).toBeTruthy();
    },
  );

  it("has samples to check against event schemas", () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  it.each(samples)("%s: the sample matches the event schema", (_, schema, sample) => {
    const validate = ajv.compile(schema);
    expect(validate(sample), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("uses every verification scheme but none at least once", () => {
    const used = new Set(catalog.map(({ spec }) => spec.webhook?.verification.scheme).filter(Boolean));
    expect(verificationSchemes.filter((scheme) => scheme !== "none" && !used.has(scheme))).toEqual([]);
  });
});
