import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import { KubeClient } from "../../operator/kube/kube-client.js";
import { eventually } from "../../../test/support/eventually.js";
import { LocalExecutor, localAddressesAnnotation } from "./local-executor.js";

const labels = { app: "echo", "app.kubernetes.io/managed-by": "switchboard-operator" };
const deployments = "/apis/apps/v1/namespaces/default/deployments";

function deployment(replicas: number, greeting: string) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "echo", labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: "echo" } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: "app",
              image: "example/echo:1",
              args: ["--greeting-from-args"],
              env: [{ name: "GREETING", value: greeting }],
              ports: [{ name: "http", containerPort: 8080 }],
              readinessProbe: { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 1 },
              livenessProbe: { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 1 },
              volumeMounts: [
                { name: "config", mountPath: "/etc/app", readOnly: true },
                { name: "secret", mountPath: "/var/run/secrets/app", readOnly: true },
                { name: "data", mountPath: "/var/lib/app" },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: "echo" } },
            { name: "secret", secret: { secretName: "echo" } },
            { name: "data", emptyDir: {} },
          ],
        },
      },
    },
  };
}

interface PodState {
  pid: number;
  args: string[];
  env: { GREETING?: string };
  config: Record<string, string>;
  secret: Record<string, string>;
  data: Record<string, string>;
}

describe("the local executor: Deployments and Services of the API server as local processes", () => {
  let server: EmbeddedApiServer;
  let client: KubeClient;
  let executor: LocalExecutor;
  let dir: string;
  const output: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "switchboard-executor-"));
    server = new EmbeddedApiServer();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString((await server.start()).kubeconfig);
    client = new KubeClient(kubeConfig);
    await client.request("POST", "/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "echo" },
      data: { "settings.json": '{"level":1}' },
    });
    await client.request("POST", "/api/v1/namespaces/default/secrets", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "echo" },
      stringData: { token: "first" },
    });
    await client.request("POST", "/api/v1/namespaces/default/services", {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "echo", labels },
      spec: { selector: { app: "echo" }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    });
    executor = new LocalExecutor({
      kubeConfig,
      workDir: dir,
      command: [process.execPath, "test/support/pod-process.ts"],
      localArgs: (_container, ports) => ["--port", String(ports.get(8080))],
      backoff: { initialMs: 100, maxMs: 1_000, resetAfterMs: 60_000 },
      output: (line) => output.push(line),
      log: pino({ level: "silent" }),
    });
    await executor.start();
    await client.request("POST", deployments, deployment(1, "hello"));
  });

  afterAll(async () => {
    await executor.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const status = async () =>
    (
      await client.request<{
        status?: Record<string, unknown> & { conditions?: { type: string; status: string }[] };
      }>("GET", `${deployments}/echo`)
    ).status ?? {};
  const address = async () => {
    const service = await client.request<{ metadata: { annotations?: Record<string, string> } }>(
      "GET",
      "/api/v1/namespaces/default/services/echo",
    );
    const addresses = JSON.parse(service.metadata.annotations?.[localAddressesAnnotation] ?? "{}") as Record<
      string,
      string
    >;
    if (!addresses.http) throw new Error("the Service has no local address yet");
    return addresses.http;
  };
  const stateOverNewConnection = async (): Promise<PodState> => {
    const [host, port] = (await address()).split(":");
    return new Promise((resolve, reject) => {
      get({ host, port: Number(port), path: "/state", agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(JSON.parse(body) as PodState));
      }).on("error", reject);
    });
  };
  const state = async (): Promise<PodState> =>
    (await fetch(`http://${await address()}/state`)).json() as Promise<PodState>;

  it("runs the pod with its mounts as files, its args and env, reports it ready, and serves it through the Service", async () => {
    await eventually(async () =>
      expect(await status()).toMatchObject({
        replicas: 1,
        readyReplicas: 1,
        updatedReplicas: 1,
        observedGeneration: 1,
      }),
    );
    expect((await status()).conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    const pod = await state();
    expect(pod.config).toEqual({ "settings.json": '{"level":1}' });
    expect(pod.secret).toEqual({ token: "first" });
    expect(pod.env.GREETING).toBe("hello");
    expect(pod.args[0]).toBe("--greeting-from-args");
    expect(output.some((line) => line.startsWith("echo-") && line.includes("listening on"))).toBe(true);
    // The API server's services proxy reaches it too, as `kubectl get --raw` would.
    const proxied = await client.request<PodState>(
      "GET",
      "/api/v1/namespaces/default/services/echo:http/proxy/state",
    );
    expect(proxied.pid).toBe(pod.pid);
  });

  it("rewrites a mounted Secret when it changes, without restarting the process", async () => {
    const before = await state();
    await client.request(
      "PATCH",
      "/api/v1/namespaces/default/secrets/echo",
      { stringData: { token: "rotated" } },
      "application/merge-patch+json",
    );
    await eventually(async () => expect((await state()).secret).toEqual({ token: "rotated" }));
    expect((await state()).pid).toBe(before.pid);
  });

  it("restarts a process that exits, keeping its emptyDir, and reports it unready meanwhile", async () => {
    const before = await state();
    await fetch(`http://${await address()}/write`);
    await fetch(`http://${await address()}/crash`);
    await eventually(async () => {
      const after = await state();
      expect(after.pid).not.toBe(before.pid);
      expect(after.data.kept).toBe(String(before.pid));
    });
    expect(output.some((line) => line.includes("CrashLoopBackOff: exited with code 3"))).toBe(true);
    expect([...executor.pods().values()][0]?.[0]?.restarts).toBe(1);
  });

  it("scales out, balancing connections across the ready pods, and rolls out a changed template", async () => {
    await client.request(
      "PATCH",
      `${deployments}/echo`,
      { spec: { replicas: 2 } },
      "application/merge-patch+json",
    );
    await eventually(async () => expect(await status()).toMatchObject({ replicas: 2, readyReplicas: 2 }));
    const pids = new Set<number>();
    for (let i = 0; i < 4; i++) pids.add((await stateOverNewConnection()).pid); // the proxy balances connections
    expect(pids.size).toBe(2);

    await client.request("PUT", `${deployments}/echo`, {
      ...deployment(2, "changed"),
      metadata: { ...deployment(2, "changed").metadata, resourceVersion: undefined },
    });
    await eventually(async () => {
      expect(await status()).toMatchObject({ observedGeneration: 3, updatedReplicas: 2, readyReplicas: 2 });
      expect((await state()).env.GREETING).toBe("changed");
    });
  });

  it("stops the processes of a deleted Deployment; the Service then refuses connections", async () => {
    const pid = (await state()).pid;
    await client.request("DELETE", `${deployments}/echo`);
    await eventually(() => expect(() => process.kill(pid, 0)).toThrow());
    await expect(fetch(`http://${await address()}/state`)).rejects.toThrow();
    await expect(
      client.request("GET", "/api/v1/namespaces/default/services/echo:http/proxy/state"),
    ).rejects.toMatchObject({ code: 503 });
  });
});
