/**
 * Benchmark of the embedded API server, run as its own process (`switchboard apiserver`) over TLS with
 * keep-alive clients, next to a bare HTTPS server answering the same payload in the same run.
 *
 * Prints: creates per second, watch events per second delivered to 10 watchers, p50/p99 latency of
 * get and list, and the server's resident memory with 10,000 custom resources stored.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as yaml from "js-yaml";

const objectsToStore = 10_000;
const concurrency = 16;
const watchers = 10;
const watchedUpdates = 2_000;
const latencySamples = 2_000;

interface Target {
  url: string;
  token: string;
  ca: string;
  agent: Agent;
  process: ChildProcess;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-bench-"));
  const bare = await startBare();
  const server = await startApiServer(join(dir, "kubeconfig"));
  try {
    await call(server, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", benchCrd());
    const body = (i: number): unknown => ({
      apiVersion: "bench.switchboard.dev/v1",
      kind: "Item",
      metadata: { name: `item-${i}`, namespace: "default", labels: { shard: String(i % 10) } },
      spec: { size: "medium", index: i, note: "x".repeat(200) },
    });

    // Baseline: the same POST bodies against a bare HTTPS server that parses and answers JSON.
    const bareRate = await rate(objectsToStore, (i) => call(bare, "POST", "/", body(i)));
    const createRate = await rate(objectsToStore, (i) =>
      call(server, "POST", "/apis/bench.switchboard.dev/v1/namespaces/default/items", body(i)),
    );
    const rss = await residentMemory(server.process);

    const watchRate = await watchThroughput(server);

    const getLatency = await latencies(latencySamples, (i) =>
      call(
        server,
        "GET",
        `/apis/bench.switchboard.dev/v1/namespaces/default/items/item-${(i * 7919) % objectsToStore}`,
      ),
    );
    const bareGetLatency = await latencies(latencySamples, () => call(bare, "GET", "/"));
    const listLatency = await latencies(200, (i) =>
      call(
        server,
        "GET",
        `/apis/bench.switchboard.dev/v1/namespaces/default/items?labelSelector=shard%3D${i % 10}&limit=100`,
      ),
    );
    const fullList = await latencies(10, () => call(server, "GET", "/apis/bench.switchboard.dev/v1/items"));

    const lines = [
      `node ${process.version}, ${objectsToStore} custom resources, ${concurrency} concurrent keep-alive TLS clients`,
      `bare HTTPS JSON server (baseline):  ${bareRate.toFixed(0)} requests/s; GET p50 ${ms(bareGetLatency.p50)} p99 ${ms(bareGetLatency.p99)}`,
      `creates:                            ${createRate.toFixed(0)} /s (${(createRate / bareRate).toFixed(2)} of baseline)`,
      `watch events to ${watchers} watchers:       ${watchRate.toFixed(0)} events/s delivered`,
      `get:                                p50 ${ms(getLatency.p50)} p99 ${ms(getLatency.p99)} (p99 ${(getLatency.p99 / bareGetLatency.p99).toFixed(2)}x baseline)`,
      `list (selector, limit=100):         p50 ${ms(listLatency.p50)} p99 ${ms(listLatency.p99)}`,
      `list of all ${objectsToStore}:                p50 ${ms(fullList.p50)} p99 ${ms(fullList.p99)}`,
      `server resident memory:             ${(rss / 1024 / 1024).toFixed(0)} MiB with ${objectsToStore} custom resources stored`,
    ];
    console.log(lines.join("\n"));
  } finally {
    server.process.kill();
    bare.process.kill();
  }
}

async function watchThroughput(server: Target): Promise<number> {
  const list = (await call(
    server,
    "GET",
    "/apis/bench.switchboard.dev/v1/namespaces/default/items?limit=1",
  )) as { metadata: { resourceVersion: string } };
  const expected = watchers * watchedUpdates;
  let received = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const requests = [...Array(watchers).keys()].map(() => {
    const req = request(
      new URL(
        `/apis/bench.switchboard.dev/v1/namespaces/default/items?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
        server.url,
      ),
      { headers: { authorization: `Bearer ${server.token}` }, ca: server.ca },
      (res) => {
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            JSON.parse(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
            if (++received === expected) resolveDone();
          }
        });
      },
    );
    req.end();
    return req;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = performance.now();
  await rate(watchedUpdates, (i) =>
    call(
      server,
      "PATCH",
      `/apis/bench.switchboard.dev/v1/namespaces/default/items/item-${i % objectsToStore}`,
      { spec: { index: -i - 1 } },
      "application/merge-patch+json",
    ),
  );
  await done;
  const seconds = (performance.now() - started) / 1000;
  for (const req of requests) req.destroy();
  return expected / seconds;
}

async function rate(count: number, run: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [...Array(concurrency).keys()].map(async () => {
      while (next < count) await run(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function latencies(
  count: number,
  run: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(count * 0.5)] ?? 0, p99: samples[Math.floor(count * 0.99)] ?? 0 };
}

function call(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(path, target.url),
      {
        method,
        agent: target.agent,
        ca: target.ca,
        headers: {
          authorization: `Bearer ${target.token}`,
          ...(payload ? { "content-type": contentType } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

async function startApiServer(kubeconfigPath: string): Promise<Target> {
  const child = spawn(
    process.execPath,
    ["dist/cli/main.js", "apiserver", "--port", "0", "--kubeconfig", kubeconfigPath],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (chunk.includes("kubeconfig written")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`apiserver exited with ${code}`)));
  });
  const config = yaml.load(await readFile(kubeconfigPath, "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  if (!cluster) throw new Error("no cluster in kubeconfig");
  return {
    url: cluster.server,
    token: config.users[0]?.user.token ?? "",
    ca: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"),
    agent: new Agent({ keepAlive: true, maxSockets: concurrency }),
    process: child,
  };
}

async function startBare(): Promise<Target> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bare-https-server.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) => {
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (chunk: string) => resolve(chunk));
  });
  const { url, ca } = JSON.parse(line) as { url: string; ca: string };
  return {
    url,
    token: "",
    ca,
    agent: new Agent({ keepAlive: true, maxSockets: concurrency }),
    process: child,
  };
}

async function residentMemory(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

function benchCrd(): unknown {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "items.bench.switchboard.dev" },
    spec: {
      group: "bench.switchboard.dev",
      scope: "Namespaced",
      names: { plural: "items", singular: "item", kind: "Item" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  required: ["size"],
                  properties: {
                    size: { type: "string", enum: ["small", "medium", "large"] },
                    index: { type: "integer" },
                    note: { type: "string", maxLength: 1000 },
                  },
                },
                status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
              },
            },
          },
        },
      ],
    },
  };
}

await main();
