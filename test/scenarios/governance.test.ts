import { readFile } from "node:fs/promises";
import { connect } from "node:tls";
import { readCertificateInfo } from "../../src/pki/certificate-info.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";
import type { GovernanceFixture } from "../support/governance-fixture.js";
import { startGovernanceFixture } from "../support/governance-fixture.js";
import { kubectl } from "../support/kubectl.js";

const integration = (name: string, namespace: string, extra = "") => `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { switchboard.dev/owner: team-a }
spec:
  connectorRef: { name: github }
${extra}`;

const policy = `apiVersion: switchboard.dev/v1alpha1
kind: IntegrationPolicy
metadata: { name: baseline }
spec:
  rules:
    - name: no-jira
      enforcement: deny
      connectors: { denied: [jira-*] }
      message: Use the ticketing connector the platform team supports.
    - name: owner-label
      enforcement: warn
      kinds: [Integration]
      requiredLabels:
        - key: switchboard.dev/data-classification
          allowedValues: [public, internal, personal]
    - name: stable-only
      enforcement: audit
      minimumMaturity: stable
    - name: bounded
      limits: { maxReplicas: 3 }
`;

describe("governance through the API server's real admission path", () => {
  let g: GovernanceFixture;
  const apply = (manifest: string) =>
    kubectl(g.api.kubeconfigPath, ["apply", "--server-side", "-f", "-"], manifest);

  beforeAll(async () => {
    g = await startGovernanceFixture();
    for (const file of ["connectors/itops/github.yaml", "connectors/itops/jira-cloud.yaml"])
      expect((await apply(await readFile(file, "utf8"))).code).toBe(0);
    await g.api.raw("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-a" },
    });
    expect((await apply(policy)).code).toBe(0);
    await eventually(() => expect(g.cache.policies()).toHaveLength(1));
  }, 60_000);
  afterAll(() => g.close());

  it("deny: kubectl shows the webhook's message naming the policy, the rule, the field and how to comply", async () => {
    const jira = integration("tickets", "team-a", "  config: { site: acme }\n");
    const result = await apply(jira.replace("name: github", "name: jira-cloud"));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('admission webhook "validate.switchboard.dev" denied the request');
    expect(result.stderr).toContain(
      "Integration team-a/tickets is denied by policy: IntegrationPolicy baseline, rule no-jira: spec.connectorRef.name: connector jira-cloud is denied. Use the ticketing connector the platform team supports.",
    );
    const limits = await apply(integration("big", "team-a", "  replicas: 5\n"));
    expect(limits.stderr).toContain("rule bounded: spec.replicas: 5 replicas, more than the 3 allowed");
  });

  it("warn: admitted, and kubectl prints the warning; audit: admitted silently, recorded in the audit trail", async () => {
    const result = await apply(integration("events", "team-a"));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'Warning: IntegrationPolicy baseline, rule owner-label: metadata.labels["switchboard.dev/data-classification"]: label switchboard.dev/data-classification is missing: set it to one of public, internal, personal',
    );
    expect(result.stderr).not.toContain("stable-only");
    const events = g.auditLines.map(
      (line) =>
        JSON.parse(line) as {
          status: string;
          resources: { name: string }[];
          unmapped?: { violations?: { rule: string; enforcement: string }[] };
          actor: { user: { name: string } };
          class_uid: number;
        },
    );
    const admitted = events.find((e) => e.resources[0]?.name === "events" && e.status === "Success");
    expect(admitted).toMatchObject({ class_uid: 6003, actor: { user: { name: "switchboard-admin" } } });
    expect(admitted?.unmapped?.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: "owner-label", enforcement: "warn" }),
        expect.objectContaining({ rule: "stable-only", enforcement: "audit" }),
      ]),
    );
    const denied = events.find((e) => e.resources[0]?.name === "tickets");
    expect(denied?.status).toBe("Failure");
  });

  it("the periodic audit records existing objects' violations in the policy's status, audit rules included", async () => {
    const { GovernanceCache } = await import("../../src/governance/admission/governance-cache.js");
    const { auditPolicies } = await import("../../src/governance/audit/policy-audit.js");
    const { pino } = await import("pino");
    const cache = new GovernanceCache(g.client, pino({ level: "silent" }), { integrations: true });
    await cache.start();
    try {
      await eventually(async () => {
        const result = await auditPolicies(cache, g.client, pino({ level: "silent" }));
        expect(result.violations).toBeGreaterThan(0);
        const status = await g.client.request<{
          status?: {
            audit?: {
              totalViolations: number;
              violations: { name: string; rule: string; enforcement: string }[];
            };
          };
        }>("GET", "/apis/switchboard.dev/v1alpha1/integrationpolicies/baseline");
        expect(status.status?.audit?.violations).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ name: "events", rule: "stable-only", enforcement: "audit" }),
          ]),
        );
      });
    } finally {
      cache.stop();
    }
  });

  it("semantic validation: a connector that is not installed, a config its schema refuses", async () => {
    const missing = await apply(integration("lost", "team-a").replace("name: github", "name: nowhere"));
    expect(missing.stderr).toContain(
      'spec.connectorRef.name: ClusterConnector "nowhere" not found in the cluster: install it first',
    );
    const flows = await apply(
      integration(
        "bad-flow",
        "team-a",
        "  flows:\n    - name: f\n      events: ['*']\n      transform: '{ \"a\": '\n      target: { action: create-issue }\n",
      ),
    );
    expect(flows.stderr).toMatch(/spec\.flows\[0\]\.transform: .*does not compile/);
  });

  it("does not judge again an update that leaves spec and labels alone (a controller's finalizer)", async () => {
    // "events" breaks the warn rule; a deny rule added now must not stop a metadata-only change.
    const strict = policy
      .replace("name: baseline", "name: strict")
      .replace("enforcement: warn", "enforcement: deny");
    expect((await apply(strict)).code).toBe(0);
    await eventually(() => expect(g.cache.policies()).toHaveLength(2));
    const path = "/apis/switchboard.dev/v1alpha1/namespaces/team-a/integrations/events";
    const finalizer = await g.api.raw(
      "PATCH",
      path,
      { metadata: { finalizers: ["example.com/cleanup"] } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(finalizer.status).toBe(200);
    const spec = await g.api.raw(
      "PATCH",
      path,
      { spec: { replicas: 2 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(spec.status).toBe(403);
    expect(spec.json.message).toContain("IntegrationPolicy strict, rule owner-label");
    await g.api.raw(
      "PATCH",
      path,
      { metadata: { finalizers: null } },
      { "content-type": "application/merge-patch+json" },
    );
    await g.api.raw("DELETE", "/apis/switchboard.dev/v1alpha1/integrationpolicies/strict");
    await eventually(() => expect(g.cache.policies()).toHaveLength(1));
  });

  it("keeps references in their namespace: a Credential cannot name another namespace's Secret", async () => {
    const result = await apply(`apiVersion: switchboard.dev/v1alpha1
kind: Credential
metadata: { name: elsewhere, namespace: team-a }
spec:
  type: bearer
  secretRef: { name: api, namespace: kube-system }
`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(".spec.secretRef.namespace: field not declared in schema");
  });

  it("every check denies through the real path, with the message kubectl shows", async () => {
    const integrationWith = (check: string, extra = "", labels = "") => `apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: check-${check.toLowerCase()}
  namespace: team-a
  labels: { check: ${check}${labels} }
spec:
  connectorRef: { name: github }
${extra}`;
    const cases: [string, string, string, string][] = [
      [
        "connectors",
        "connectors: { denied: [github] }",
        integrationWith("connectors"),
        "spec.connectorRef.name: connector github is denied",
      ],
      [
        "categories",
        "categories: { denied: [itops] }",
        integrationWith("categories"),
        "(category itops) is denied",
      ],
      [
        "minimumMaturity",
        "minimumMaturity: stable",
        integrationWith("minimumMaturity"),
        "connector github is beta; connectors must be at least stable",
      ],
      [
        "connectorVersions",
        "connectorVersions: [{ connector: github, range: '>=2.0.0' }]",
        integrationWith("connectorVersions"),
        "resolves to 1.1.0, outside the allowed range >=2.0.0",
      ],
      [
        "requiredLabels",
        "requiredLabels: [{ key: cost-center }]",
        integrationWith("requiredLabels"),
        "label cost-center is missing",
      ],
      [
        "egressHosts",
        "egressHosts: { allowed: ['*.corp.example'] }",
        integrationWith("egressHosts"),
        "connector github calls api.github.com, which is not an allowed host",
      ],
      [
        "inboundVerification",
        "inboundVerification: { allowedSchemes: [standard-webhooks] }",
        integrationWith("inboundVerification"),
        "verifies webhooks with github; allowed schemes: standard-webhooks",
      ],
      [
        "secretsByReference",
        "secretsByReference: {}",
        integrationWith("secretsByReference", "  config: { apiToken: abc }\n"),
        "spec.config.apiToken: apiToken looks like a secret value",
      ],
      [
        "limits",
        "limits: { maxReplicas: 1 }",
        integrationWith("limits", "  replicas: 2\n"),
        "spec.replicas: 2 replicas, more than the 1 allowed",
      ],
      [
        "authTypes",
        "authTypes: { allowed: [oauth2-client-credentials] }",
        "apiVersion: switchboard.dev/v1alpha1\nkind: Credential\nmetadata: { name: check-auth, namespace: team-a, labels: { check: authTypes } }\nspec: { type: bearer, secretRef: { name: s } }\n",
        "spec.type: credential type bearer is not allowed",
      ],
      [
        "customConnectors",
        "customConnectors: { namespaces: [platform] }",
        "apiVersion: switchboard.dev/v1alpha1\nkind: Connector\nmetadata: { name: homegrown, namespace: team-a, labels: { check: customConnectors } }\nspec: { displayName: Homegrown, category: custom, version: 1.0.0 }\n",
        "namespace team-a may not define namespaced Connectors",
      ],
    ];
    for (const [check, rule] of cases)
      expect(
        (
          await apply(
            `apiVersion: switchboard.dev/v1alpha1\nkind: IntegrationPolicy\nmetadata: { name: check-${check.toLowerCase()} }\nspec:\n  objectSelector: { matchLabels: { check: ${check} } }\n  rules:\n    - name: r\n      enforcement: deny\n      ${rule}\n`,
          )
        ).code,
        check,
      ).toBe(0);
    await eventually(() => expect(g.cache.policies().length).toBeGreaterThanOrEqual(cases.length + 1));
    for (const [check, , manifest, message] of cases) {
      const result = await apply(manifest);
      expect(result.code, check).not.toBe(0);
      expect(result.stderr, check).toContain(`IntegrationPolicy check-${check.toLowerCase()}, rule r:`);
      expect(result.stderr, check).toContain(message);
    }
    for (const [check] of cases)
      await g.api.raw(
        "DELETE",
        `/apis/switchboard.dev/v1alpha1/integrationpolicies/check-${check.toLowerCase()}`,
      );
    await eventually(() => expect(g.cache.policies()).toHaveLength(1));
  }, 60_000);

  it("never touches system namespaces", async () => {
    const result = await apply(
      integration("system", "kube-system", "  config: { site: acme }\n").replace(
        "name: github",
        "name: jira-cloud",
      ),
    );
    expect(result.code).toBe(0);
  });

  it("fails closed when the webhook is down, with a message that says so; recovers when it is back", async () => {
    await g.stopWebhook();
    const result = await apply(integration("while-down", "team-a"));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('failed calling webhook "validate.switchboard.dev"');
    await g.startWebhook();
    expect((await apply(integration("while-down", "team-a"))).code).toBe(0);
  });

  it("rotates the serving certificate and the CA without a rejected request", async () => {
    const { pino } = await import("pino");
    const { ensureWebhookCertificates } =
      await import("../../src/governance/certificates/webhook-certificates.js");
    const log = pino({ level: "silent" });
    const day = 86_400_000;
    const secrets = "/api/v1/namespaces/switchboard-system/secrets";
    // Certificates made eleven months ago: the serving one is due for renewal now.
    await g.client.request("DELETE", `${secrets}/${g.certificates.caSecretName}`);
    await g.client.request("DELETE", `${secrets}/${g.certificates.tlsSecretName}`);
    await ensureWebhookCertificates(g.client, g.certificates, log, new Date(Date.now() - 335 * day));
    await g.syncCertificateFiles();

    let stop = false;
    const failures: string[] = [];
    let sent = 0;
    const load = (async () => {
      while (!stop) {
        const response = await g.api.raw(
          "POST",
          "/apis/switchboard.dev/v1alpha1/namespaces/team-a/credentials",
          {
            apiVersion: "switchboard.dev/v1alpha1",
            kind: "Credential",
            metadata: { generateName: "rotation-" },
            spec: { type: "bearer", secretRef: { name: "s" } },
          },
        );
        sent++;
        if (response.status !== 201) failures.push(`${response.status} ${response.text}`);
      }
    })();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
    await pause();
    expect(await ensureWebhookCertificates(g.client, g.certificates, log)).toEqual({
      issuedServing: true,
      rotatedCa: false,
    });
    await pause();
    await g.syncCertificateFiles();
    await pause();
    // A CA due for replacement: the new one joins the bundle before it signs what is served.
    const settings = { ...g.certificates, caRenewBeforeMs: 20 * 365 * day };
    expect(await ensureWebhookCertificates(g.client, settings, log)).toEqual({
      issuedServing: true,
      rotatedCa: true,
    });
    await pause();
    await g.syncCertificateFiles();
    await pause();
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(10);
    const configuration = await g.client.request<{ webhooks: { clientConfig: { caBundle: string } }[] }>(
      "GET",
      "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/switchboard",
    );
    const bundle = Buffer.from(configuration.webhooks[0]?.clientConfig.caBundle ?? "", "base64").toString();
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    // What the webhook serves now is the certificate the new CA signed.
    const service = await g.client.request<{ metadata: { annotations: Record<string, string> } }>(
      "GET",
      "/api/v1/namespaces/switchboard-system/services/switchboard-webhook",
    );
    const [host, port] = (
      JSON.parse(service.metadata.annotations["switchboard.dev/local-addresses"] ?? "{}") as { https: string }
    ).https.split(":");
    const served = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host, port: Number(port), servername: "switchboard-webhook.switchboard-system.svc", ca: bundle },
        () => {
          resolve(socket.getPeerCertificate().serialNumber.toLowerCase());
          socket.end();
        },
      );
      socket.on("error", reject);
    });
    const secret = await g.client.request<{ data: Record<string, string> }>(
      "GET",
      `${secrets}/${g.certificates.tlsSecretName}`,
    );
    expect(served).toBe(
      readCertificateInfo(Buffer.from(secret.data["tls.crt"] ?? "", "base64").toString()).serialNumber,
    );
  }, 30_000);
});
