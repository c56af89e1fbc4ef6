/**
 * Benchmark of the connector runtime, each party in its own process: a bare node:http server as the
 * baseline, the runtime (as built in dist/) receiving signed GitHub-style webhooks into its durable
 * journal, and a bare server as the sink its flow delivers to.
 *
 * Prints: bare requests/s; the receiver's requests/s (verified and journaled) and its ratio to bare;
 * acknowledgement latency p50/p99; delivery throughput through the rate limiter, retry and circuit
 * breaker to the sink against a raw fetch loop to the same sink (ratio); the runtime's resident memory.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { mkdtemp, readFile, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Pool } from "undici";
import { startRuntimeProcess } from "../test/support/runtime-process.js";

const events = Number(process.env.EVENTS ?? 20_000);
const concurrency = Number(process.env.CONCURRENCY ?? 64);
const secret = "bench-webhook-secret";
const payload = JSON.stringify({
  action: "opened",
  issue: {
    number: 1347,
    title: "Found a bug",
    state: "open",
    body: "I'm having a problem with this. ".repeat(20),
    user: { login: "octocat", id: 1, type: "User" },
    labels: [{ name: "bug", color: "f29513" }],
  },
  repository: { id: 1296269, full_name: "octocat/Hello-World", private: false },
  sender: { login: "octocat", id: 1 },
});
const signature = `sha256=${createHmac("sha256", secret).update(payload).digest("hex")}`;

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    const bare = await startJsonLine(["--import", "tsx", "bench/bare-http-server.ts"], children);
    const sink = await startJsonLine(["--import", "tsx", "bench/bare-http-server.ts"], children);
    const bareRate = await rate(bare.url, "/", () => ({ "content-type": "application/json" }));

    const dir = await mkdtemp(join(tmpdir(), "switchboard-bench-runtime-"));
    await mkdir(join(dir, "webhook"));
    await writeFile(join(dir, "webhook", "secret"), secret);
    await writeFile(join(dir, "runtime.json"), JSON.stringify(runtimeConfig(sink.url)));
    const runtime = await startRuntime(dir, children);
    const url = `http://127.0.0.1:${runtime.port}`;
    const headers = () => ({
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signature,
    });
    // Delivery is held while webhooks are received, then let go and timed on its own.
    const admin = `http://127.0.0.1:${runtime.adminPort}`;
    await fetch(`${admin}/delivery/pause`, { method: "POST" });
    const receiveRate = await rate(url, "/webhook", headers);
    const latency = await latencies(url, "/webhook", headers, 2_000);
    const total = events + 2_000;
    const started = performance.now();
    await fetch(`${admin}/delivery/resume`, { method: "POST" });
    let delivered = 0;
    while (delivered < total) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      delivered = ((await (await fetch(`${sink.url}/count`)).json()) as { received: number }).received;
    }
    const deliveryRate = total / ((performance.now() - started) / 1000);
    const rss = await residentMemory(runtime.child);
    // The same sink and concurrency as the runtime's delivery worker: a raw fetch loop, no journal, no policies.
    const rawRate = await fetchRate(`${sink.url}/events`, 32);
    console.log(
      [
        `node ${process.version}, ${events} events of ${payload.length} bytes, ${concurrency} connections`,
        `bare node:http:                        ${bareRate.toFixed(0)} requests/s`,
        `receiver (verified, journaled):        ${receiveRate.toFixed(0)} requests/s, ${(receiveRate / bareRate).toFixed(2)} of bare`,
        `acknowledgement latency:               p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
        `delivery to a sink (limiter, retry, breaker): ${deliveryRate.toFixed(0)} events/s; raw fetch loop ${rawRate.toFixed(0)}/s; ratio ${(deliveryRate / rawRate).toFixed(2)}`,
        `runtime resident memory:               ${(rss / 1024 / 1024).toFixed(0)} MiB`,
      ].join("\n"),
    );
  } finally {
    for (const child of children) child.kill("SIGKILL");
  }
}

function runtimeConfig(sinkURL: string): unknown {
  return {
    integration: {
      namespace: "bench",
      name: "github",
      spec: {
        connectorRef: { name: "github" },
        webhook: { secretRef: { name: "webhook", keys: ["secret"] } },
        egress: { allowedHosts: ["127.0.0.1"], allowPrivateNetworks: true, allowInsecureHTTP: true },
        delivery: { rateLimit: { requests: 1_000_000, period: "1s" } },
        flows: [
          {
            name: "to-sink",
            events: ["issues.*"],
            transform: "{ 'title': issue.title, 'repo': repository.full_name }",
            target: { sink: { url: `${sinkURL}/events`, mode: "json" } },
          },
        ],
      },
    },
    connector: {
      kind: "ClusterConnector",
      name: "github",
      version: "1.0.0",
      spec: {
        displayName: "GitHub",
        category: "itops",
        version: "1.0.0",
        webhook: {
          verification: { scheme: "github" },
          eventType: { header: "X-GitHub-Event", subtypeJsonPath: "action" },
          deliveryId: { header: "X-GitHub-Delivery" },
        },
      },
    },
  };
}

async function rate(
  base: string,
  path: string,
  headers: () => Record<string, string>,
  connections = concurrency,
): Promise<number> {
  const pool = new Pool(base, { connections, pipelining: 1 });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [...Array(connections).keys()].map(async () => {
      while (next++ < events) {
        const response = await pool.request({ method: "POST", path, headers: headers(), body: payload });
        await response.body.text();
        if (response.statusCode !== 200) throw new Error(`${base}${path}: ${response.statusCode}`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return events / seconds;
}

async function fetchRate(url: string, connections: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    [...Array(connections).keys()].map(async () => {
      while (next++ < events) {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: payload,
        });
        await response.text();
      }
    }),
  );
  return events / ((performance.now() - started) / 1000);
}

async function latencies(
  base: string,
  path: string,
  headers: () => Record<string, string>,
  count: number,
): Promise<{ p50: number; p99: number }> {
  const pool = new Pool(base, { connections: 1 });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await pool.request({ method: "POST", path, headers: headers(), body: payload });
    await response.body.text();
    samples.push(performance.now() - started);
  }
  await pool.close();
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(count * 0.5)] ?? 0, p99: samples[Math.floor(count * 0.99)] ?? 0 };
}

async function startJsonLine(args: string[], children: ChildProcess[]): Promise<{ url: string }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const line = await new Promise<string>((resolve) => {
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (chunk: string) => resolve(chunk));
  });
  return JSON.parse(line) as { url: string };
}

async function startRuntime(
  dir: string,
  children: ChildProcess[],
): Promise<{ port: number; adminPort: number; child: ChildProcess }> {
  const runtime = await startRuntimeProcess(
    [
      "--config",
      join(dir, "runtime.json"),
      "--webhook-secret-dir",
      join(dir, "webhook"),
      "--credential-dir",
      join(dir, "credential"),
      "--state-dir",
      join(dir, "state"),
      "--port",
      "0",
      "--admin-port",
      "0",
      "--host",
      "127.0.0.1",
      "--journal-capacity",
      String(events * 2),
    ],
    "dist",
    { ...process.env, LOG_LEVEL: "info" },
  );
  children.push(runtime.child);
  return runtime;
}

async function residentMemory(child: ChildProcess): Promise<number> {
  const status = await readFile(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

await main();
