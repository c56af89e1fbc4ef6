import { describe, expect, it } from "vitest";
import type { ConnectorSpec, Integration } from "../../api/types.js";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import { renderIntegration } from "./render-integration.js";

const connector = {
  kind: "ClusterConnector",
  name: "github",
  version: "1.0.0",
  spec: { displayName: "GitHub", category: "itops", version: "1.0.0" } as ConnectorSpec,
};

function integration(spec: Partial<Integration["spec"]> = {}): Integration {
  return {
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "Integration",
    metadata: {
      name: "tickets",
      namespace: "team-a",
      uid: "5b0c5b9e-0000-4000-8000-000000000001",
      generation: 1,
    },
    spec: { connectorRef: { name: "github" }, webhook: { secretRef: { name: "github-webhook" } }, ...spec },
  };
}

const settings = { image: "ghcr.io/switchboard/switchboard:0.1.0" };
const render = (spec: Partial<Integration["spec"]> = {}) =>
  renderIntegration({
    integration: integration(spec),
    connector,
    credentialSecretName: "github-token",
    credential: { type: "bearer", secretRef: { name: "github-token" } },
    settings,
  });
const find = (objects: ReturnType<typeof render>, kind: string) =>
  objects.find((o) => o.kind === kind) as Record<string, any>;

describe("rendering an Integration's runtime", () => {
  it("makes a ConfigMap, ServiceAccount, Deployment, Service and NetworkPolicy in its namespace, owned by it", () => {
    const objects = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "ConfigMap/tickets-runtime",
      "ServiceAccount/tickets",
      "Deployment/tickets",
      "Service/tickets",
      "NetworkPolicy/tickets",
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe("team-a");
      expect(object.metadata.ownerReferences).toEqual([
        {
          apiVersion: "switchboard.dev/v1alpha1",
          kind: "Integration",
          name: "tickets",
          uid: "5b0c5b9e-0000-4000-8000-000000000001",
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(object.metadata.labels).toMatchObject({
        "switchboard.dev/integration": "tickets",
        "switchboard.dev/connector": "github",
      });
    }
  });

  it("stamps the config hash on the pod template, so a config change rolls the pods and nothing else does", () => {
    const hash = (objects: ReturnType<typeof render>) =>
      find(objects, "Deployment").spec.template.metadata.annotations["switchboard.dev/config-hash"];
    expect(hash(render())).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(render())).toBe(hash(render()));
    expect(hash(render({ config: { region: "eu" } }))).not.toBe(hash(render()));
    const data = JSON.parse(find(render({ config: { region: "eu" } }), "ConfigMap").data["runtime.json"]);
    expect(data).toMatchObject({
      integration: { name: "tickets", spec: { config: { region: "eu" } } },
      connector: { name: "github", version: "1.0.0" },
    });
  });

  it("runs under the restricted Pod Security Standard with Secrets mounted read-only", () => {
    const pod = find(render(), "Deployment").spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const container = pod.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(container.args).toEqual(["runtime", "--config", "/etc/switchboard/runtime.json"]);
    const secretVolumes = pod.volumes
      .filter((v: { secret?: unknown }) => v.secret)
      .map((v: { name: string; secret: { secretName: string } }) => `${v.name}:${v.secret.secretName}`);
    expect(secretVolumes).toEqual(["credential:github-token", "webhook-secret:github-webhook"]);
    for (const name of ["credential", "webhook-secret", "config"]) {
      expect(container.volumeMounts.find((m: { name: string }) => m.name === name).readOnly).toBe(true);
    }
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
  });

  it("adds a PodDisruptionBudget above one replica, and scales to zero when suspended", () => {
    expect(find(render({ replicas: 3 }), "PodDisruptionBudget").spec).toEqual({
      minAvailable: 1,
      selector: {
        matchLabels: {
          "app.kubernetes.io/name": "switchboard-runtime",
          "app.kubernetes.io/instance": "tickets",
        },
      },
    });
    expect(find(render({ replicas: 3, suspend: true }), "Deployment").spec.replicas).toBe(0);
    expect(find(render({ replicas: 3, suspend: true }), "PodDisruptionBudget")).toBeUndefined();
  });

  it("uses the Integration's resources, or the defaults", () => {
    expect(find(render(), "Deployment").spec.template.spec.containers[0].resources).toEqual({
      requests: { cpu: "50m", memory: "64Mi" },
      limits: { memory: "256Mi" },
    });
    expect(
      find(render({ resources: { limits: { memory: "1Gi" } } }), "Deployment").spec.template.spec
        .containers[0].resources,
    ).toEqual({ limits: { memory: "1Gi" } });
  });

  it("renders objects the API server accepts", async () => {
    const server = new EmbeddedApiServer();
    await server.start();
    try {
      const namespaces = server.registry.lookup("", "v1", "namespaces")!;
      await server.storage.create(
        namespaces,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } },
        { fieldManager: "test" },
      );
      for (const object of render({ replicas: 2 })) {
        const type = server.registry.lookupKind(object.apiVersion, object.kind)!;
        const result = await server.storage.create(type, "team-a", object, {
          fieldManager: "switchboard-operator",
        });
        expect(result.object.metadata.uid, object.kind).toBeDefined();
      }
    } finally {
      await server.stop();
    }
  });

  it("renders the whole chart as recorded", () => {
    expect(render({ replicas: 2, config: { org: "acme" } })).toMatchSnapshot();
  });

  it("mounts each Secret the flows' sinks sign with, once, read-only, under the sinks folder", () => {
    const sink = (url: string, name: string) => ({
      sink: { url, mode: "standard-webhooks" as const, secretRef: { name, key: "secret" } },
    });
    const objects = render({
      flows: [
        { name: "a", events: ["*"], target: sink("https://a.example.com", "audit-signing") },
        { name: "b", events: ["*"], target: sink("https://b.example.com", "audit-signing") },
        { name: "c", events: ["*"], target: sink("https://c.example.com", "siem-signing") },
      ],
    });
    const pod = find(objects, "Deployment").spec.template.spec;
    const mounts = pod.containers[0].volumeMounts.filter((m: { name: string }) =>
      m.name.startsWith("sink-secret"),
    );
    expect(mounts).toEqual([
      {
        name: "sink-secret-0",
        mountPath: "/var/run/secrets/switchboard/sinks/audit-signing",
        readOnly: true,
      },
      { name: "sink-secret-1", mountPath: "/var/run/secrets/switchboard/sinks/siem-signing", readOnly: true },
    ]);
  });
});
