import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../apiserver/embedded-api-server.js";
import type { KubeObject } from "../apiserver/types.js";
import { loadManifests } from "../manifests/load-manifests.js";
import { customResourceDefinitions } from "./custom-resource-definitions.js";
import { renderCrdFiles } from "./render-crd-files.js";
import { renderTypes } from "./render-types.js";
import { toJsonSchema } from "./validate.js";

describe("the CRDs generated from src/api", () => {
  for (const folder of ["crds", join("charts", "switchboard", "crds")]) {
    it(`${folder}/ is exactly what \`npm run generate\` writes (no drift, no missing or extra file)`, async () => {
      const expected = renderCrdFiles();
      const present = (await readdir(folder)).filter((f) => f.endsWith(".yaml")).sort();
      expect(present).toEqual([...expected.keys()].sort());
      for (const [name, content] of expected)
        expect(await readFile(join(folder, name), "utf8"), `${folder}/${name}`).toBe(content);
    });
  }

  it("src/api/generated/types.ts is exactly what `npm run generate` writes", async () => {
    expect(await readFile(join("src", "api", "generated", "types.ts"), "utf8")).toBe(await renderTypes());
  });

  it("every field is documented, so `kubectl explain` helps", () => {
    const undocumented: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      for (const [name, child] of Object.entries(
        (node.properties as Record<string, Record<string, unknown>> | undefined) ?? {},
      )) {
        const childPath = `${path}.${name}`;
        if (!["apiVersion", "kind", "metadata"].includes(name) && typeof child.description !== "string")
          undocumented.push(childPath);
        walk(child, childPath);
        if (child.items) walk(child.items as Record<string, unknown>, `${childPath}[]`);
      }
    };
    for (const crd of customResourceDefinitions()) {
      const spec = crd.spec as {
        names: { kind: string };
        versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[];
      };
      walk(spec.versions[0]!.schema.openAPIV3Schema, spec.names.kind);
    }
    expect(undocumented).toEqual([]);
  });

  it("every schema compiles in ajv and every default is valid under its own schema", () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const problems: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      if ("default" in node) {
        const validate = ajv.compile(toJsonSchema({ ...node, default: undefined }));
        if (!validate(node.default))
          problems.push(
            `${path}: default ${JSON.stringify(node.default)} is invalid: ${ajv.errorsText(validate.errors)}`,
          );
      }
      for (const [name, child] of Object.entries(
        (node.properties as Record<string, Record<string, unknown>> | undefined) ?? {},
      ))
        walk(child, `${path}.${name}`);
      if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`);
    };
    for (const crd of customResourceDefinitions()) {
      const spec = crd.spec as {
        names: { kind: string };
        versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[];
      };
      const schema = spec.versions[0]!.schema.openAPIV3Schema;
      expect(() => ajv.compile(toJsonSchema(schema))).not.toThrow();
      walk(schema, spec.names.kind);
    }
    expect(problems).toEqual([]);
  });

  describe("served by the embedded API server", () => {
    const server = new EmbeddedApiServer({ crds: customResourceDefinitions() as unknown as KubeObject[] });
    beforeAll(() => server.start());
    afterAll(() => server.stop());

    it("are accepted (structural, CEL rules compile) and established with categories and short names", () => {
      const kinds = server.registry
        .all()
        .filter((t) => t.group === "switchboard.dev")
        .map((t) => `${t.kind}:${t.shortNames.join(",")}:${t.categories.join(",")}`)
        .sort();
      expect(kinds).toEqual([
        "ClusterConnector:ccon:switchboard",
        "Connector:con:switchboard",
        "Credential:cred:switchboard",
        "Integration:intg:switchboard",
        "IntegrationPolicy:ipol:switchboard",
      ]);
    });

    it("accept every sample and catalog connector, CEL rules included", async () => {
      const manifests = await loadManifests(["config/samples", "connectors"]);
      for (const { object, file } of manifests) {
        const type = server.registry.lookupKind(object.apiVersion, object.kind);
        expect(type, `${file}: ${object.kind}`).toBeDefined();
        const result = await server.storage.create(
          type!,
          type!.namespaced ? (object.metadata.namespace ?? "default") : undefined,
          object,
          {
            fieldManager: "test",
            fieldValidation: "Strict",
          },
        );
        expect(result.object.metadata.uid, file).toBeDefined();
      }
    });

    it("enforce the CEL rules: a flow target must be exactly one of action, integration, sink", async () => {
      const type = server.registry.lookupKind("switchboard.dev/v1alpha1", "Integration")!;
      const bad = {
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "Integration",
        metadata: { name: "two-targets" },
        spec: {
          connectorRef: { name: "github" },
          flows: [
            { name: "f", events: ["*"], target: { action: "a", sink: { url: "https://x.example.com" } } },
          ],
        },
      };
      await expect(server.storage.create(type, "default", bad, { fieldManager: "test" })).rejects.toThrow(
        'spec.flows[0].target: Invalid value: "object": a target is exactly one of action, integration or sink',
      );
    });

    it("enforce oauth2 credentials to name a token URL", async () => {
      const type = server.registry.lookupKind("switchboard.dev/v1alpha1", "Credential")!;
      const bad = {
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "Credential",
        metadata: { name: "no-token-url" },
        spec: { type: "oauth2-client-credentials", secretRef: { name: "s" } },
      };
      await expect(server.storage.create(type, "default", bad, { fieldManager: "test" })).rejects.toThrow(
        "oauth2 credentials need oauth2.tokenURL",
      );
    });
  });
});
