import { describe, expect, it } from "vitest";
import { configProblems } from "./integration-config.js";

const schema = {
  type: "object",
  required: ["host"],
  properties: { host: { type: "string", pattern: "^[a-z]+\\.example\\.com$" }, port: { type: "integer" } },
};

describe("an Integration's config against its connector's config schema", () => {
  it("accepts a config that fits, and anything when the connector has no schema", () => {
    expect(configProblems(schema, { host: "acme.example.com", port: 443 })).toEqual([]);
    expect(configProblems(undefined, { anything: true })).toEqual([]);
  });

  it("names every field at fault, a missing one on the config itself", () => {
    expect(configProblems(schema, { port: "443" })).toEqual([
      { path: "spec.config", message: "must have required property 'host' (host)" },
      { path: "spec.config.port", message: "must be integer" },
    ]);
    expect(configProblems(schema, undefined)).toEqual([
      { path: "spec.config", message: "must have required property 'host' (host)" },
    ]);
    expect(configProblems(schema, { host: "ACME" })).toEqual([
      { path: "spec.config.host", message: 'must match pattern "^[a-z]+\\.example\\.com$"' },
    ]);
  });
});
