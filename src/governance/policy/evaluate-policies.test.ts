import { describe, expect, it } from "vitest";
import type { ConnectorSpec, IntegrationSpec, PolicyRule } from "../../api/types.js";
import type { Policy } from "./evaluate-policies.js";
import { evaluatePolicies } from "./evaluate-policies.js";
import type { GovernedObject, PolicyContext } from "./governed-object.js";

const github: ConnectorSpec = {
  displayName: "GitHub",
  category: "itops",
  version: "1.1.0",
  maturity: "beta",
  egressHosts: ["api.github.com"],
  webhook: { verification: { scheme: "github" } },
  rateLimits: { requests: 5000, period: "1h" },
};
const unsigned: ConnectorSpec = {
  ...github,
  displayName: "Open",
  maturity: "experimental",
  webhook: { verification: { scheme: "none" } },
};

const context: PolicyContext = {
  namespaceLabels: (ns) => ({
    "kubernetes.io/metadata.name": ns,
    ...(ns === "team-a" ? { tier: "prod" } : {}),
  }),
  connectorOf: (_ns, spec) =>
    spec.connectorRef.name === "github"
      ? { kind: "ClusterConnector", name: "github", version: "1.1.0", spec: github }
      : spec.connectorRef.name === "open"
        ? { kind: "Connector", name: "open", version: "0.1.0", spec: unsigned }
        : undefined,
  credential: (_ns, name) => (name === "gh" ? { type: "bearer", secretRef: { name: "gh" } } : undefined),
};

const integration = (
  spec: Partial<IntegrationSpec> = {},
  labels: Record<string, string> = {},
  namespace = "team-a",
): GovernedObject => ({
  kind: "Integration",
  namespace,
  name: "events",
  labels,
  spec: { connectorRef: { name: "github" }, ...spec },
});
const policy = (...rules: PolicyRule[]): Policy => ({ name: "baseline", spec: { rules } });
const check = (rule: PolicyRule, object: GovernedObject) =>
  evaluatePolicies([policy(rule)], object, context).map((v) => `${v.enforcement} ${v.field}: ${v.message}`);

describe("policy rules", () => {
  it("connectors: denied and allowed names, with globs", () => {
    expect(check({ name: "r", connectors: { denied: ["git*"] } }, integration())).toEqual([
      "deny spec.connectorRef.name: IntegrationPolicy baseline, rule r: spec.connectorRef.name: connector github is denied",
    ]);
    expect(check({ name: "r", connectors: { allowed: ["slack"] } }, integration())[0]).toContain(
      "connector github is not allowed; allowed: slack",
    );
    expect(check({ name: "r", connectors: { allowed: ["git*"] } }, integration())).toEqual([]);
  });

  it("categories, minimum maturity and connector versions, from the resolved connector", () => {
    expect(check({ name: "r", categories: { denied: ["itops"] } }, integration())[0]).toContain(
      "(category itops) is denied",
    );
    expect(check({ name: "r", minimumMaturity: "stable" }, integration())[0]).toContain(
      "connector github is beta; connectors must be at least stable",
    );
    expect(check({ name: "r", minimumMaturity: "beta" }, integration())).toEqual([]);
    expect(
      check({ name: "r", connectorVersions: [{ connector: "github", range: ">=2.0.0" }] }, integration())[0],
    ).toContain("resolves to 1.1.0, outside the allowed range >=2.0.0");
    expect(
      check({ name: "r", connectorVersions: [{ connector: "slack", range: ">=2.0.0" }] }, integration()),
    ).toEqual([]);
  });

  it("required labels, with allowed values, on every kind", () => {
    const rule: PolicyRule = {
      name: "owner",
      enforcement: "warn",
      message: "Ask #platform.",
      requiredLabels: [{ key: "owner" }, { key: "class", allowedValues: ["internal", "personal"] }],
    };
    expect(check(rule, integration({}, { class: "secret" }))).toEqual([
      'warn metadata.labels["owner"]: IntegrationPolicy baseline, rule owner: metadata.labels["owner"]: label owner is missing. Ask #platform.',
      'warn metadata.labels["class"]: IntegrationPolicy baseline, rule owner: metadata.labels["class"]: label class=secret is not allowed: use one of internal, personal. Ask #platform.',
    ]);
    const credential: GovernedObject = {
      kind: "Credential",
      namespace: "team-a",
      name: "c",
      labels: { owner: "a", class: "internal" },
      spec: {},
    };
    expect(check(rule, credential)).toEqual([]);
  });

  it("egress hosts: the connector's, the Integration's allowed hosts and its sinks", () => {
    const spec: Partial<IntegrationSpec> = {
      egress: { allowedHosts: ["audit.corp.example"] },
      flows: [{ name: "f", events: ["*"], target: { sink: { url: "https://hooks.elsewhere.io/x" } } }],
    };
    const failures = check(
      { name: "r", egressHosts: { allowed: ["api.github.com", "*.corp.example"] } },
      integration(spec),
    );
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(
      "spec.flows[0].target.sink.url: the sink's host hooks.elsewhere.io is not an allowed host",
    );
    expect(check({ name: "r", egressHosts: { allowed: ["*.corp.example"] } }, integration())[0]).toContain(
      "connector github calls api.github.com, which is not an allowed host",
    );
  });

  it("auth types, on Credentials and through an Integration's Credential", () => {
    const rule: PolicyRule = { name: "r", authTypes: { allowed: ["oauth2-client-credentials"] } };
    expect(check(rule, integration({ credentialRef: { name: "gh" } }))[0]).toContain(
      "credential type bearer is not allowed",
    );
    const credential: GovernedObject = {
      kind: "Credential",
      namespace: "team-a",
      name: "gh",
      labels: {},
      spec: { type: "api-key", secretRef: { name: "s" } },
    };
    expect(check(rule, credential)[0]).toContain("spec.type: credential type api-key is not allowed");
  });

  it("inbound verification on Integrations and connectors; allowed schemes", () => {
    expect(
      check(
        { name: "r", inboundVerification: {} },
        integration({ connectorRef: { kind: "Connector", name: "open" } }),
      )[0],
    ).toContain("connector open verifies webhooks with scheme none: inbound webhooks must be verified");
    expect(check({ name: "r", inboundVerification: {} }, integration())).toEqual([]);
    expect(
      check({ name: "r", inboundVerification: { allowedSchemes: ["standard-webhooks"] } }, integration())[0],
    ).toContain("verifies webhooks with github; allowed schemes: standard-webhooks");
    const connector: GovernedObject = {
      kind: "ClusterConnector",
      namespace: undefined,
      name: "open",
      labels: {},
      spec: unsigned,
    };
    expect(check({ name: "r", inboundVerification: {} }, connector)[0]).toContain(
      "spec.webhook.verification.scheme",
    );
  });

  it("secrets by reference: secret-looking config fields and connector defaults", () => {
    expect(
      check(
        { name: "r", secretsByReference: {} },
        integration({ config: { host: "a", auth: { apiToken: "x" } } }),
      )[0],
    ).toContain("spec.config.auth.apiToken: apiToken looks like a secret value");
    const connector: GovernedObject = {
      kind: "Connector",
      namespace: "team-a",
      name: "c",
      labels: {},
      spec: {
        ...github,
        configSchema: { type: "object", properties: { password: { type: "string", default: "hunter2" } } },
      },
    };
    expect(check({ name: "r", secretsByReference: {} }, connector)[0]).toContain(
      "spec.configSchema.properties.password.default",
    );
    expect(
      check(
        { name: "r", secretsByReference: { fieldNames: ["*key*"] } },
        integration({ config: { token: "x" } }),
      ),
    ).toEqual([]);
  });

  it("limits: replicas, flows, and the rate, the connector's documented one when the Integration sets none", () => {
    const rule: PolicyRule = {
      name: "r",
      limits: { maxReplicas: 2, maxFlows: 0, maxRate: { requests: 1, period: "1s" } },
    };
    const failures = check(
      rule,
      integration({ replicas: 3, flows: [{ name: "f", events: ["*"], target: { action: "a" } }] }),
    );
    // GitHub documents 5,000 an hour: 1.4 a second, above 1.
    expect(failures.map((f) => f.split(":")[0])).toEqual([
      "deny spec.replicas",
      "deny spec.flows",
      "deny spec.connectorRef.name",
    ]);
    expect(check({ name: "r", limits: { maxRate: { requests: 2, period: "1s" } } }, integration())).toEqual(
      [],
    );
    const own = integration({ delivery: { rateLimit: { requests: 3, period: "1s" } } });
    expect(check({ name: "r", limits: { maxRate: { requests: 2, period: "1s" } } }, own)[0]).toContain(
      "spec.delivery.rateLimit: 3 requests per 1s, above the 2 per 1s allowed",
    );
    expect(
      check({ name: "r", limits: { maxRate: { requests: 1, period: "1m" } } }, integration())[0],
    ).toContain("5000 requests per 1h (the connector's documented rate), above the 1 per 1m allowed");
  });

  it("custom connectors only in the namespaces allowed, by name or label", () => {
    const rule: PolicyRule = {
      name: "r",
      customConnectors: { namespaces: ["platform-*"], namespaceSelector: { matchLabels: { tier: "lab" } } },
    };
    const custom = integration({ connectorRef: { kind: "Connector", name: "open" } });
    expect(check(rule, custom)[0]).toContain("namespace team-a may not use namespaced Connectors");
    expect(
      check(rule, integration({ connectorRef: { kind: "Connector", name: "open" } }, {}, "platform-tools")),
    ).toEqual([]);
    expect(check(rule, integration())).toEqual([]);
  });
});

describe("which objects a policy checks", () => {
  const rule: PolicyRule = { name: "r", enforcement: "audit", connectors: { denied: ["github"] } };
  it("never system namespaces; namespaces by selector; objects by label; rules by kind", () => {
    expect(check(rule, integration({}, {}, "kube-system"))).toEqual([]);
    const scoped: Policy = {
      name: "p",
      spec: {
        namespaceSelector: { matchLabels: { tier: "prod" } },
        objectSelector: { matchLabels: { governed: "yes" } },
        rules: [rule],
      },
    };
    expect(evaluatePolicies([scoped], integration({}, { governed: "yes" }, "team-a"), context)).toHaveLength(
      1,
    );
    expect(evaluatePolicies([scoped], integration({}, { governed: "yes" }, "team-b"), context)).toEqual([]);
    expect(evaluatePolicies([scoped], integration({}, {}, "team-a"), context)).toEqual([]);
    expect(check({ ...rule, kinds: ["Credential"] }, integration())).toEqual([]);
    expect(evaluatePolicies([policy(rule)], integration(), context)[0]).toMatchObject({
      policy: "baseline",
      rule: "r",
      enforcement: "audit",
    });
  });
});
