import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Integration } from "../api/types.js";
import { integrationProblems } from "./integration-problems.js";
import type { KnownConnector } from "./known-connectors.js";
import { knownConnector } from "./known-connectors.js";
import { yamlManifests } from "./yaml-manifests.js";

const read = async (file: string) => yamlManifests(await readFile(file, "utf8"), file).manifests;
const sample = (await read("config/samples/integration.yaml"))[0]?.object as Integration;
const connector = knownConnector(
  (await read("config/samples/clusterconnector.yaml"))[0]?.object,
  "clusterconnector.yaml",
) as KnownConnector;

const withSpec = (spec: Partial<Integration["spec"]>): Integration => ({
  ...sample,
  spec: { ...sample.spec, ...spec },
});

describe("an Integration against its connector", () => {
  it("accepts the sample Integration with the sample connector", () => {
    expect(integrationProblems(sample, [connector], { catalog: true })).toEqual([]);
  });

  it("reports a connector it cannot find, and where it looked", () => {
    expect(integrationProblems(sample, [], { catalog: true })).toEqual([
      {
        path: "spec.connectorRef.name",
        message:
          'ClusterConnector "example-webhooks" not found in the given files or the catalog: pass the file that defines it, or --catalog <dir>',
      },
    ]);
    expect(integrationProblems(sample, [], { catalog: false })[0]?.message).toBe(
      'ClusterConnector "example-webhooks" not found in the given files (the catalog is off): pass the file that defines it',
    );
  });

  it("reports a version range no known version is in", () => {
    const integration = withSpec({ connectorRef: { name: "example-webhooks", version: "^2" } });
    expect(integrationProblems(integration, [connector], { catalog: true })).toEqual([
      {
        path: "spec.connectorRef.version",
        message:
          'no version of ClusterConnector "example-webhooks" in the given files or the catalog is in range "^2" (found 1.0.0)',
      },
    ]);
  });

  it("checks the config against the connector's config schema, as the operator does", () => {
    expect(
      integrationProblems(withSpec({ config: { host: "acme.other.com" } }), [connector], { catalog: true }),
    ).toEqual([{ path: "spec.config.host", message: 'must match pattern "^[a-z0-9-]+\\.example\\.com$"' }]);
  });

  it("checks the flows, and warns of a deprecated connector", () => {
    const deprecated = {
      ...connector,
      spec: { ...connector.spec, maturity: "deprecated" as const, deprecation: { message: "use v2" } },
    };
    const flows = [{ name: "x", events: ["*"], target: { action: "nope" } }];
    expect(integrationProblems(withSpec({ flows }), [deprecated], { catalog: true })).toEqual([
      {
        path: "spec.connectorRef",
        message: 'ClusterConnector "example-webhooks" 1.0.0 is deprecated: use v2',
        severity: "warning",
      },
      {
        path: "spec.flows[0].target.action",
        message:
          '"nope" is not an action of ClusterConnector "example-webhooks" (its actions: add-note, get-current-user)',
      },
    ]);
  });
});
