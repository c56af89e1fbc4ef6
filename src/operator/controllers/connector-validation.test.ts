import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../../api/types.js";
import { connectorFieldProblems, connectorProblems, hostMatches } from "./connector-validation.js";

const base: ConnectorSpec = { displayName: "X", category: "custom", version: "1.0.0" };

describe("connector checks beyond the schema", () => {
  it("accepts a consistent connector", () => {
    expect(
      connectorProblems({
        ...base,
        baseURL: "https://{config.host}/api",
        configSchema: { type: "object", properties: { host: { type: "string" } } },
        auth: [{ name: "token", type: "bearer" }],
        actions: [
          {
            name: "a",
            method: "POST",
            path: "/items/{input.id}",
            inputSchema: { properties: { id: {} } },
            body: "{ 'x': x }",
            authScheme: "token",
          },
        ],
        healthCheck: { action: "a" },
      }),
    ).toEqual([]);
  });

  it.each([
    [
      { baseURL: "https://{config.host}", configSchema: { properties: {} } },
      "spec.baseURL: {config.host} names a field the configSchema does not define",
    ],
    [
      {
        actions: [
          { name: "a", method: "GET" as const, path: "/{input.id}", inputSchema: { properties: {} } },
        ],
      },
      "spec.actions[0].path: {input.id} names a field the inputSchema does not define",
    ],
    [
      { actions: [{ name: "a", method: "GET" as const, path: "/", body: "$$.(" }] },
      "spec.actions[0].body: the JSONata expression does not compile",
    ],
    [
      { actions: [{ name: "a", method: "GET" as const, path: "/", authScheme: "oauth" }] },
      'spec.actions[0].authScheme: "oauth" is not one of the connector\'s auth schemes (none)',
    ],
    [
      { healthCheck: { action: "ping" } },
      'spec.healthCheck.action: "ping" is not one of the connector\'s actions',
    ],
    [
      { baseURL: "https://api.other.com", egressHosts: ["*.example.com"] },
      'spec.baseURL: host "api.other.com" is not among spec.egressHosts (*.example.com)',
    ],
    [
      { webhook: { verification: { scheme: "none" as const }, eventType: { jsonPath: "event[" } } },
      "spec.webhook.eventType.jsonPath: the JSONata expression does not compile",
    ],
  ])("%j → %s", (spec, problem) => {
    expect(connectorProblems({ ...base, ...spec })[0]).toContain(problem);
  });

  it("matches egress host globs on whole labels", () => {
    expect(hostMatches("*.example.com", "api.example.com")).toBe(true);
    expect(hostMatches("*.example.com", "example.com")).toBe(false);
    expect(hostMatches("*.example.com", "evilexample.com")).toBe(false);
    expect(hostMatches("api.example.com", "api.example.com")).toBe(true);
  });
  it("gives each problem's field apart from its message", () => {
    expect(connectorFieldProblems({ ...base, healthCheck: { action: "ping" } })).toEqual([
      { path: "spec.healthCheck.action", message: '"ping" is not one of the connector\'s actions' },
    ]);
  });
});
