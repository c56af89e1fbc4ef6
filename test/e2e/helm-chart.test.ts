import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customResourceDefinitions } from "../../src/api/custom-resource-definitions.js";
import { renderCrdFiles } from "../../src/api/render-crd-files.js";
import type { KubeObject } from "../../src/apiserver/types.js";
import type { ApiServerFixture } from "../support/api-server-fixture.js";
import { startApiServer } from "../support/api-server-fixture.js";
import { kubernetesSchemaProblems } from "../support/kubernetes-models.js";
import { kubectl } from "../support/kubectl.js";

const helmBinary = "node_modules/.bin/helm";

function helm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(helmBinary, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(new Error(`helm could not run: ${error.message}`));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    }),
  );
}

async function render(values: string[]): Promise<KubeObject[]> {
  const result = await helm([
    "template",
    "switchboard",
    "charts/switchboard",
    "--namespace",
    "switchboard-system",
    ...values,
  ]);
  if (result.code !== 0) throw new Error(result.stderr);
  return (yaml.loadAll(result.stdout) as (KubeObject | null)[]).filter((o): o is KubeObject => o !== null);
}

type Pod = {
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: { hostPath?: unknown }[];
  containers: {
    name: string;
    securityContext?: {
      allowPrivilegeEscalation?: boolean;
      readOnlyRootFilesystem?: boolean;
      privileged?: boolean;
      capabilities?: { drop?: string[]; add?: string[] };
    };
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    readinessProbe?: unknown;
    livenessProbe?: unknown;
  }[];
};

/** The restricted Pod Security Standard, and what the chart promises besides: resources and probes. */
function podProblems(name: string, pod: Pod): string[] {
  const problems: string[] = [];
  if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${name}: runAsNonRoot`);
  if (pod.securityContext?.seccompProfile?.type !== "RuntimeDefault")
    problems.push(`${name}: seccomp RuntimeDefault`);
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${name}: host namespaces`);
  if (pod.volumes?.some((v) => v.hostPath)) problems.push(`${name}: hostPath volume`);
  for (const c of pod.containers) {
    const where = `${name}/${c.name}`;
    if (c.securityContext?.allowPrivilegeEscalation !== false)
      problems.push(`${where}: allowPrivilegeEscalation`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem`);
    if (c.securityContext?.privileged) problems.push(`${where}: privileged`);
    if (!c.securityContext?.capabilities?.drop?.includes("ALL") || c.securityContext.capabilities.add?.length)
      problems.push(`${where}: capabilities`);
    if (!c.resources?.requests?.cpu || !c.resources.requests.memory || !c.resources.limits?.memory)
      problems.push(`${where}: resources`);
    if (!c.readinessProbe || !c.livenessProbe) problems.push(`${where}: probes`);
  }
  return problems;
}

const valueSets: Record<string, string[]> = {
  defaults: [],
  "cert-manager": ["--set", "webhook.certManager.enabled=true"],
  "monitoring on": [
    "--set",
    "monitoring.serviceMonitor.enabled=true",
    "--set",
    "monitoring.podMonitor.enabled=true",
    "--set",
    "monitoring.prometheusRule.enabled=true",
    "--set",
    "catalog.connectors={github,slack}",
    "--api-versions",
    "monitoring.coreos.com/v1",
  ],
  "HA off": [
    "--set",
    "operator.replicas=1",
    "--set",
    "operator.leaderElection=false",
    "--set",
    "webhook.replicas=1",
  ],
};

describe("the Helm chart, with the real helm binary", () => {
  it("passes helm lint --strict", async () => {
    const result = await helm(["lint", "--strict", "charts/switchboard"]);
    expect(result.stdout).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(result.code).toBe(0);
  });

  for (const [name, values] of Object.entries(valueSets))
    it(`renders (${name}): every object valid for its kind, every pod under the restricted standard`, async () => {
      const objects = await render(values);
      const problems: string[] = [];
      for (const object of objects) {
        const schema = kubernetesSchemaProblems(object);
        if (schema) problems.push(...schema);
        else
          expect(
            ["ClusterConnector", "ServiceMonitor", "PodMonitor", "PrometheusRule", "Certificate", "Issuer"],
            object.kind,
          ).toContain(object.kind);
        if (object.kind === "Deployment")
          problems.push(
            ...podProblems(
              object.metadata.name ?? "",
              (object.spec as { template: { spec: Pod } }).template.spec,
            ),
          );
      }
      expect(problems).toEqual([]);
      const kinds = objects.map((o) => o.kind);
      if (name === "HA off") {
        expect(kinds).not.toContain("PodDisruptionBudget");
        const operator = objects.find(
          (o) => o.kind === "Deployment" && o.metadata.name === "switchboard-operator",
        );
        expect(JSON.stringify(operator)).toContain("--no-leader-elect");
      } else expect(kinds.filter((k) => k === "PodDisruptionBudget")).toHaveLength(2);
      if (name === "cert-manager") {
        expect(kinds).toContain("Certificate");
        const configuration = objects.find((o) => o.kind === "ValidatingWebhookConfiguration");
        expect(configuration?.metadata.annotations?.["cert-manager.io/inject-ca-from"]).toBe(
          "switchboard-system/switchboard-webhook",
        );
        expect(JSON.stringify(objects)).toContain("--no-webhook-certificates");
      }
      if (name === "monitoring on") {
        expect(kinds).toEqual(expect.arrayContaining(["ServiceMonitor", "PodMonitor", "PrometheusRule"]));
        expect(objects.filter((o) => o.kind === "ClusterConnector").map((o) => o.metadata.name)).toEqual([
          "github",
          "slack",
        ]);
      }
      expect(
        objects.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1"),
      ).toHaveLength(3);
    });

  it("the schema check it relies on catches unknown fields and wrong types", () => {
    expect(
      kubernetesSchemaProblems({
        apiVersion: "apps/v1",
        kind: "Deployment",
        spec: {
          replicas: "two",
          template: { spec: { containers: [{ name: "a", imagePullPolice: "Always" }] } },
        },
      } as never),
    ).toEqual([
      'Deployment.spec.replicas: expected a number, not "two"',
      "Deployment.spec.template.spec.containers[0].imagePullPolice: unknown field",
    ]);
  });

  it("refuses bad values with a message naming them", async () => {
    const bad = await helm([
      "template",
      "x",
      "charts/switchboard",
      "--set",
      "webhook.failurePolicy=Sometimes",
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('webhook.failurePolicy must be one of the following: "Fail", "Ignore"');
    const noOperator = await helm([
      "template",
      "x",
      "charts/switchboard",
      "--set",
      "monitoring.serviceMonitor.enabled=true",
    ]);
    expect(noOperator.stderr).toContain(
      "monitoring.serviceMonitor.enabled needs the Prometheus Operator's CRDs (monitoring.coreos.com/v1) in the cluster",
    );
    const unknown = await helm(["template", "x", "charts/switchboard", "--set", "catalog.connectors={nope}"]);
    expect(unknown.stderr).toContain('catalog.connectors: "nope" is not in the catalog');
  });

  it("grants exactly config/rbac's rules, and its files are the sources' copies", async () => {
    const objects = await render([]);
    const rules = (await import("../../src/manifests/load-manifests.js")).loadManifests;
    const sources = await rules(["config/rbac/operator.yaml"]);
    const operatorRole = objects.find(
      (o) => o.kind === "ClusterRole" && o.metadata.name === "switchboard-operator",
    ) as KubeObject & { rules: unknown };
    expect(operatorRole.rules).toEqual((sources[0]?.object as KubeObject & { rules: unknown }).rules);
    for (const [from, to] of [
      ["config/rbac", "rbac"],
      ["config/dashboards", "dashboards"],
    ] as const)
      for (const file of await readdir(from))
        expect(await readFile(join("charts/switchboard/files", to, file), "utf8"), file).toBe(
          await readFile(join(from, file), "utf8"),
        );
    expect(await readFile("charts/switchboard/files/alerts/switchboard.rules.yaml", "utf8")).toBe(
      await readFile("config/alerts/switchboard.rules.yaml", "utf8"),
    );
  });

  it("the kustomize base is the chart's default rendering, and kubectl kustomize builds it", async () => {
    const rendered = await helm([
      "template",
      "switchboard",
      "charts/switchboard",
      "--namespace",
      "switchboard-system",
    ]);
    const generated = await readFile("config/default/switchboard.yaml", "utf8");
    expect(generated.slice(generated.indexOf("\n") + 1)).toBe(
      rendered.stdout.replace(/^# Source: .*\n/gm, ""),
    );
    const built = await new Promise<string>((resolve, reject) =>
      execFile(
        "kubectl",
        ["kustomize", "config/default"],
        { maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout)),
      ),
    );
    const crds = [...renderCrdFiles().values()].join("---\n");
    expect(await readFile("config/default/crds.yaml", "utf8")).toContain(crds);
    const kinds = (yaml.loadAll(built) as KubeObject[]).map((o) => o.kind);
    expect(kinds.filter((k) => k === "CustomResourceDefinition")).toHaveLength(5);
    expect(kinds).toEqual(
      expect.arrayContaining(["Namespace", "Deployment", "ValidatingWebhookConfiguration", "ClusterRole"]),
    );
  });

  describe("applied to the API server", () => {
    let api: ApiServerFixture;
    beforeAll(async () => {
      api = await startApiServer({
        crds: customResourceDefinitions() as unknown as KubeObject[],
        namespaces: ["switchboard-system"],
      });
    });
    afterAll(() => api.close());

    it("helm install and uninstall work against it (without OpenAPI v2 validation, which it does not serve)", async () => {
      const kubeconfig = ["--kubeconfig", api.kubeconfigPath, "--namespace", "switchboard-system"];
      const installed = await helm([
        "install",
        "demo",
        "charts/switchboard",
        ...kubeconfig,
        "--disable-openapi-validation",
        "--set",
        "webhook.enabled=false",
        "--set",
        "operator.replicas=1",
      ]);
      expect(installed.stderr).toBe("");
      expect(installed.stdout).toContain("STATUS: deployed");
      expect(installed.stdout).toContain("Switchboard 0.1.0 is installed in switchboard-system.");
      const listed = await helm(["list", ...kubeconfig]);
      expect(listed.stdout).toMatch(/^demo\s+switchboard-system\s+1\s+.*deployed/m);
      const uninstalled = await helm(["uninstall", "demo", ...kubeconfig]);
      expect(uninstalled.stdout).toContain('release "demo" uninstalled');
      const left = await kubectl(api.kubeconfigPath, [
        "get",
        "deployments",
        "-n",
        "switchboard-system",
        "-o",
        "name",
      ]);
      expect(left.stdout.trim()).toBe("");
    });

    it("kubectl apply --server-side creates the operator's and the webhook's objects", async () => {
      const rendered = await helm([
        "template",
        "switchboard",
        "charts/switchboard",
        "--namespace",
        "switchboard-system",
        "--include-crds",
      ]);
      const applied = await kubectl(
        api.kubeconfigPath,
        ["apply", "--server-side", "-f", "-"],
        rendered.stdout,
      );
      expect(applied.stderr).toBe("");
      expect(applied.code).toBe(0);
      const get = async (args: string[]) =>
        (await kubectl(api.kubeconfigPath, ["get", ...args, "-o", "name"])).stdout.trim().split("\n").sort();
      expect(await get(["deployments", "-n", "switchboard-system"])).toEqual([
        "deployment.apps/switchboard-operator",
        "deployment.apps/switchboard-webhook",
      ]);
      expect(await get(["validatingwebhookconfigurations"])).toEqual([
        "validatingwebhookconfiguration.admissionregistration.k8s.io/switchboard",
      ]);
      expect(await get(["clusterroles"])).toEqual(
        expect.arrayContaining([
          "clusterrole.rbac.authorization.k8s.io/switchboard-operator",
          "clusterrole.rbac.authorization.k8s.io/switchboard-view",
        ]),
      );
      expect(await get(["poddisruptionbudgets", "-n", "switchboard-system"])).toHaveLength(2);
    });
  });
});
