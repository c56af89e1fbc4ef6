/**
 * Benchmark of the operator: the API server and the operator each in their own process (as built in
 * dist/), 1,000 Integrations applied, their Deployments made ready by this script as a kubelet would.
 *
 * Prints: seconds until all are Ready, the operator's API requests per Integration (reads and writes),
 * writes during a steady period, and the operator's resident memory.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeClient } from "../src/operator/kube/kube-client.js";

const count = Number(process.env.INTEGRATIONS ?? 1000);
const steadySeconds = Number(process.env.STEADY_SECONDS ?? 60);
const ns = "bench";

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-bench-operator-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  const { child: apiserver } = await startProcess(
    [
      "apiserver",
      "--port",
      "0",
      "--kubeconfig",
      kubeconfigPath,
      "--crds",
      "crds",
      "--watch-cache-size",
      "20000",
    ],
    "kubeconfig written",
  );
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(await readFile(kubeconfigPath, "utf8"));
  const client = new KubeClient(kubeConfig);
  let own = { reads: 0, writes: 0 };
  const request = <T>(
    method: "GET" | "POST" | "PATCH",
    path: string,
    body?: unknown,
    type?: string,
  ): Promise<T> => {
    if (method === "GET") own.reads++;
    else own.writes++;
    return client.request<T>(method, path, body, type);
  };
  const { child: operator, output: operatorOutput } = await startProcess(
    [
      "operator",
      "--kubeconfig",
      kubeconfigPath,
      "--health-port",
      "0",
      "--no-leader-elect",
      "--qps",
      "1000",
      "--burst",
      "2000",
    ],
    "operator started",
  );
  const operatorPort = Number(/"healthPort":(\d+)/.exec(operatorOutput)?.[1] ?? 0);
  try {
    await request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns },
    });
    await request("POST", "/apis/switchboard.dev/v1alpha1/clusterconnectors", {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "ClusterConnector",
      metadata: { name: "bench" },
      spec: {
        displayName: "Bench",
        category: "custom",
        version: "1.0.0",
        auth: [{ name: "token", type: "bearer" }],
      },
    });
    await request("POST", `/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "token" },
      stringData: { token: "x" },
    });
    await request("POST", `/apis/switchboard.dev/v1alpha1/namespaces/${ns}/credentials`, {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "token" },
      spec: { type: "bearer", secretRef: { name: "token" } },
    });
    await client.request("DELETE", "/_switchboard/stats");
    own = { reads: 0, writes: 0 }; // watches are counted when they end
    const kubelet = startKubelet(kubeConfig, (path, body) =>
      request("PATCH", path, body, "application/merge-patch+json"),
    );
    const started = performance.now();
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        [...Array(Math.min(50, count - i)).keys()].map((j) =>
          request("POST", `/apis/switchboard.dev/v1alpha1/namespaces/${ns}/integrations`, {
            apiVersion: "switchboard.dev/v1alpha1",
            kind: "Integration",
            metadata: { name: `integration-${i + j}` },
            spec: { connectorRef: { name: "bench" }, credentialRef: { name: "token" } },
          }),
        ),
      );
    }
    let ready = 0;
    while (ready < count) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const list = await request<{
        items: { status?: { conditions?: { type: string; status: string }[] } }[];
      }>("GET", `/apis/switchboard.dev/v1alpha1/namespaces/${ns}/integrations`);
      ready = list.items.filter((i) =>
        i.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      ).length;
    }
    const seconds = (performance.now() - started) / 1000;
    const totals = await stats(client);
    const operatorReads = totals.reads - own.reads;
    const operatorWrites = totals.writes - own.writes;
    kubelet.stop();
    // Settled: the connector has counted every Integration at its version (the last status the
    // operator writes), so what follows is steady state.
    for (;;) {
      const connector = await request<{ status?: { integrations?: number } }>(
        "GET",
        "/apis/switchboard.dev/v1alpha1/clusterconnectors/bench",
      );
      if (connector.status?.integrations === count) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await client.request("DELETE", "/_switchboard/stats");
    own = { reads: 0, writes: 0 };
    await new Promise((resolve) => setTimeout(resolve, steadySeconds * 1000));
    const steady = await stats(client);
    const steadyWrites = steady.writes - own.writes;
    const rss = await residentMemory(operator);
    const metrics = await (await fetch(`http://127.0.0.1:${operatorPort}/metrics`)).text();
    const heapUsed = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? 0);
    console.log(
      [
        `node ${process.version}, ${count} Integrations, operator and API server in their own processes`,
        `all Ready after:                     ${seconds.toFixed(1)} s`,
        `operator requests per Integration:   ${(operatorReads / count).toFixed(2)} reads, ${(operatorWrites / count).toFixed(2)} writes`,
        `writes during ${steadySeconds} s of steady state: ${steadyWrites}${steadyWrites > 0 ? ` (${JSON.stringify(steady.byKey)})` : ""}`,
        `operator resident memory:            ${(rss / 1024 / 1024).toFixed(0)} MiB (V8 heap in use: ${(heapUsed / 1024 / 1024).toFixed(0)} MiB)`,
      ].join("\n"),
    );
  } finally {
    operator.kill("SIGTERM");
    apiserver.kill("SIGTERM");
  }
}

/** Plays the kubelet: every runtime Deployment becomes ready at its current generation. */
function startKubelet(
  kubeConfig: KubeConfig,
  patch: (path: string, body: unknown) => Promise<unknown>,
): { stop: () => void } {
  let stop: () => void = () => {};
  const client = new KubeClient(kubeConfig);
  void client
    .watch(
      `/apis/apps/v1/namespaces/${ns}/deployments`,
      { resourceVersion: "0" },
      (type, object) => {
        if (type !== "ADDED" && type !== "MODIFIED") return;
        const status = (object.status ?? {}) as { observedGeneration?: number; readyReplicas?: number };
        const replicas = (object.spec as { replicas?: number }).replicas ?? 1;
        if (status.observedGeneration === object.metadata.generation && status.readyReplicas === replicas)
          return;
        void patch(`/apis/apps/v1/namespaces/${ns}/deployments/${object.metadata.name ?? ""}/status`, {
          status: {
            observedGeneration: object.metadata.generation,
            replicas,
            readyReplicas: replicas,
            updatedReplicas: replicas,
            availableReplicas: replicas,
          },
        });
      },
      () => {},
    )
    .then((abort) => (stop = abort));
  return { stop: () => stop() };
}

async function stats(
  client: KubeClient,
): Promise<{ reads: number; writes: number; byKey: Record<string, number> }> {
  const { requests } = await client.request<{ requests: Record<string, number> }>(
    "GET",
    "/_switchboard/stats",
  );
  let reads = 0;
  let writes = 0;
  for (const [key, n] of Object.entries(requests)) {
    if (/^(get|list|watch) /.test(key)) reads += n;
    else writes += n;
  }
  return { reads, writes, byKey: requests };
}

async function startProcess(
  args: string[],
  readyText: string,
): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, ["dist/cli/main.js", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LOG_LEVEL: "info" },
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const check = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(readyText)) resolve();
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.once("exit", (code) => reject(new Error(`${args[0] ?? ""} exited with ${code}`)));
  });
  return { child, output };
}

async function residentMemory(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

await main();
