import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../../src/apiserver/types.js";
import { validatingWebhookConfiguration } from "../../src/governance/admission/webhook-configuration.js";
import { loadManifests } from "../../src/manifests/load-manifests.js";
import { eventually } from "../support/eventually.js";
import type { OperatorFixture } from "../support/operator-fixture.js";
import { startOperatorFixture } from "../support/operator-fixture.js";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** kube-apiserver's names for the verbs the request statistics count. */
const verbOf: Record<string, string> = {
  get: "get",
  list: "list",
  watch: "watch",
  create: "create",
  update: "update",
  patch: "patch",
  delete: "delete",
  deletecollection: "deletecollection",
  apply: "patch",
};

describe("the operator's RBAC: what it uses is granted, and nothing wider", () => {
  let fixture: OperatorFixture;
  let rules: Rule[];

  beforeAll(async () => {
    const rbac = await loadManifests(["config/rbac/operator.yaml"]);
    rules = rbac.flatMap((m) => (m.object as KubeObject & { rules: Rule[] }).rules);
    fixture = await startOperatorFixture(
      [
        "config/samples/clusterconnector.yaml",
        "config/samples/credential-secret.yaml",
        "config/samples/credential.yaml",
      ],
      {
        governance: {
          auditIntervalMs: 200,
          webhookCertificates: {
            namespace: "switchboard-system",
            serviceName: "switchboard-webhook",
            tlsSecretName: "switchboard-webhook-tls",
            caSecretName: "switchboard-webhook-ca",
            configurationNames: ["switchboard"],
          },
        },
      },
    );
    const { server } = fixture;
    const create = async (object: KubeObject, namespace?: string) => {
      const type = server.registry.lookupKind(object.apiVersion, object.kind);
      if (!type) throw new Error(`${object.kind} is not served`);
      await server.storage.create(type, namespace, object, { fieldManager: "test" });
    };
    // Everything the test does goes straight to storage: the request statistics are the operator's alone.
    // No webhook serves here: the configuration only needs to exist for its caBundle to be kept.
    const configuration = validatingWebhookConfiguration({
      caBundle: "",
      service: { namespace: "switchboard-system", name: "switchboard-webhook" },
    }) as unknown as KubeObject & { webhooks: { failurePolicy: string }[] };
    for (const webhook of configuration.webhooks) webhook.failurePolicy = "Ignore";
    await create(configuration);
    await create((await loadManifests(["config/samples/integrationpolicy.yaml"]))[0]?.object as KubeObject);
    await create(
      (await loadManifests(["config/samples/integration.yaml"]))[0]?.object as KubeObject,
      "default",
    );
  }, 60_000);
  afterAll(() => fixture.stop());

  it("reconciles, audits and keeps certificates using only what config/rbac/operator.yaml grants", async () => {
    await eventually(() => {
      const integration = fixture.server.storage.find(
        fixture.server.registry.lookup("switchboard.dev", "v1alpha1", "integrations")!,
        "default",
        "support-tickets",
      ) as { status?: { conditions?: { type: string; reason: string }[] } } | undefined;
      expect(integration?.status?.conditions?.find((c) => c.type === "Ready")?.reason).toBe(
        "DeploymentNotReady",
      );
      const secret = fixture.server.storage.find(
        fixture.server.registry.lookup("", "v1", "secrets")!,
        "switchboard-system",
        "switchboard-webhook-tls",
      );
      expect(secret).toBeDefined();
      const policy = fixture.server.storage.find(
        fixture.server.registry.lookup("switchboard.dev", "v1alpha1", "integrationpolicies")!,
        undefined,
        "baseline",
      );
      expect(policy?.status).toHaveProperty("audit");
    }, 20_000);
    const type = fixture.server.registry.lookup("switchboard.dev", "v1alpha1", "integrations")!;
    // Nothing the operator writes is in spec: GitOps tools see no drift.
    const reconciled = fixture.server.storage.find(type, "default", "support-tickets");
    const operatorFields = (reconciled?.metadata.managedFields ?? []).filter(
      (f) => f.manager !== "test" && f.subresource !== "status",
    );
    expect(operatorFields.length).toBeGreaterThan(0);
    for (const entry of operatorFields) expect(Object.keys(entry.fieldsV1 ?? {})).toEqual(["f:metadata"]);
    await fixture.server.storage.delete(type, "default", "support-tickets", {});
    await eventually(
      () => expect(fixture.server.storage.find(type, "default", "support-tickets")).toBeUndefined(),
      20_000,
    );

    const used = Object.keys(fixture.server.stats.snapshot()).map((key) => {
      const [verb = "", resource = ""] = key.split(" ");
      const [plural = "", subresource] = resource.split("/");
      const [name = "", ...group] = plural.split(".");
      return {
        verb: verbOf[verb] ?? verb,
        group: group.join("."),
        resource: subresource ? `${name}/${subresource}` : name,
      };
    });
    expect(used.length).toBeGreaterThan(10);
    const denied = used.filter(
      (u) =>
        !rules.some(
          (r) =>
            r.apiGroups.includes(u.group) && r.resources.includes(u.resource) && r.verbs.includes(u.verb),
        ),
    );
    expect(denied).toEqual([]);
  }, 60_000);

  it("grants no wildcard, and only reads Secrets cluster-wide", () => {
    for (const rule of rules)
      for (const list of [rule.apiGroups, rule.resources, rule.verbs]) expect(list).not.toContain("*");
    const clusterRole = rules.slice(0, rules.length - 2);
    const secretVerbs = clusterRole.filter((r) => r.resources.includes("secrets")).flatMap((r) => r.verbs);
    expect(secretVerbs.sort()).toEqual(["get", "list", "watch"]);
  });
});
