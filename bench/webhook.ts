/**
 * Benchmark of the admission webhook: `switchboard webhook serve` (as built in dist/) in its own
 * process against an API server process holding the catalog and the baseline policies (SOC 2, GDPR
 * and the sample), next to a bare node:https server that parses and echoes the same JSON, in the same
 * run and with the same load generator.
 *
 * Prints, for each: latency p50/p99/max at a steady 500 requests/s (open loop: requests leave on
 * schedule whether or not earlier ones answered), and throughput with 16 requests in flight.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { KubeConfig } from "@kubernetes/client-node";
import { Agent, request } from "undici";
import { loadManifests } from "../src/manifests/load-manifests.js";
import { KubeClient } from "../src/operator/kube/kube-client.js";
import { createCertificateAuthority } from "../src/pki/certificate-authority.js";
import { issueServingCertificate } from "../src/pki/serving-certificate.js";

const rate = Number(process.env.RATE ?? 500);
const seconds = Number(process.env.SECONDS ?? 10);

function review(i: number): string {
  return JSON.stringify({
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: `bench-${i}`,
      kind: { group: "switchboard.dev", version: "v1alpha1", kind: "Integration" },
      resource: { group: "switchboard.dev", version: "v1alpha1", resource: "integrations" },
      namespace: "team-a",
      name: `events-${i}`,
      operation: "CREATE",
      userInfo: { username: "ada", groups: ["system:authenticated"] },
      object: {
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "Integration",
        metadata: {
          name: `events-${i}`,
          namespace: "team-a",
          labels: { "switchboard.dev/owner": "team-a", "switchboard.dev/data-classification": "internal" },
        },
        spec: {
          connectorRef: { name: "github", version: "^1.0.0" },
          webhook: { secretRef: { name: "github-webhook" } },
          flows: [
            {
              name: "issues",
              events: ["issues.*"],
              filter: "repository.full_name != ''",
              transform: '{ "repository": repository.full_name, "issue": issue.number }',
              target: { sink: { url: "https://audit.corp.example/events", mode: "json" } },
            },
          ],
        },
      },
      oldObject: null,
      dryRun: false,
    },
  });
}

function startProcess(
  args: string[],
  ready: (line: string) => unknown,
  stream: "stdout" | "stderr" = "stdout",
) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise<{ child: ChildProcess; value: unknown }>((resolve, reject) => {
    let buffer = "";
    child[stream].on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n")) {
        const value = ready(line);
        if (value !== undefined) resolve({ child, value });
      }
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${buffer}`)));
  });
}

interface Run {
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  failures: number;
}

async function openLoop(url: string, ca: string): Promise<Run> {
  const agent = new Agent({ connect: { ca }, connections: 32, keepAliveTimeout: 30_000 });
  const total = rate * seconds;
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = review(i);
    const sent = performance.now();
    inFlight.push(
      request(url, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        dispatcher: agent,
      })
        .then(async (r) => {
          const text = await r.body.text();
          if (r.statusCode !== 200 || (!text.includes('"allowed"') && !text.includes('"kind"'))) failures++;
          latencies.push(performance.now() - sent);
        })
        .catch(() => void failures++),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
    perSecond: latencies.length / elapsed,
    failures,
  };
}

async function closedLoop(url: string, ca: string, concurrency = 16, durationMs = 5_000): Promise<number> {
  const agent = new Agent({ connect: { ca }, connections: concurrency, keepAliveTimeout: 30_000 });
  let done = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += concurrency) {
        const r = await request(url, {
          method: "POST",
          body: review(i),
          headers: { "content-type": "application/json" },
          dispatcher: agent,
        });
        await r.body.text();
        done++;
      }
    }),
  );
  await agent.close();
  return done / (durationMs / 1000);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "switchboard-bench-webhook-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  const { child: apiserver } = await startProcess(
    [
      "dist/cli/main.js",
      "apiserver",
      "--port",
      "0",
      "--kubeconfig",
      kubeconfigPath,
      "--crds",
      "crds",
      "--namespaces",
      "switchboard-system",
      "team-a",
    ],
    (line) => (line.includes("kubeconfig written") ? true : undefined),
  );
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(await readFile(kubeconfigPath, "utf8"));
  const client = new KubeClient(kubeConfig);
  for (const { object } of await loadManifests([
    "connectors",
    "config/policies",
    "config/samples/integrationpolicy.yaml",
  ])) {
    const plural = `${object.kind.toLowerCase()}s`.replace(/ys$/, "ies");
    await client.request("POST", `/apis/switchboard.dev/v1alpha1/${plural}`, object);
  }
  const ca = await createCertificateAuthority();
  const serving = await issueServingCertificate(ca, { ipAddresses: ["127.0.0.1"] });
  await writeFile(join(dir, "tls.crt"), serving.chainPem);
  await writeFile(join(dir, "tls.key"), serving.keyPem);
  const { child: webhook, value: ports } = await startProcess(
    [
      ...(process.env.WEBHOOK_NODE_FLAGS ?? "").split(" ").filter(Boolean),
      "dist/cli/main.js",
      "webhook",
      "serve",
      "--kubeconfig",
      kubeconfigPath,
      "--cert-dir",
      dir,
      "--port",
      "0",
      "--health-port",
      "0",
      "--audit-log",
      join(dir, "audit.jsonl"),
    ],
    (line) => {
      if (!line.includes("admission webhook serving")) return undefined;
      return JSON.parse(line) as { port: number; healthPort: number };
    },
    "stderr",
  );
  const { child: bare, value: bareInfo } = await startProcess(
    ["--import", "tsx", "bench/bare-https-server.ts"],
    (line) => (line.startsWith("{") ? (JSON.parse(line) as { url: string; ca: string }) : undefined),
  );
  const { url: bareURL, ca: bareCa } = bareInfo as { url: string; ca: string };
  const { port, healthPort } = ports as { port: number; healthPort: number };
  const webhookURL = `https://127.0.0.1:${port}/validate`;

  // A warm-up for both, then the measured runs.
  await closedLoop(webhookURL, ca.certPem, 4, 1_000);
  await closedLoop(bareURL, bareCa, 4, 1_000);
  const bareRun = await openLoop(bareURL, bareCa);
  const webhookRun = await openLoop(webhookURL, ca.certPem);
  const bareMax = await closedLoop(bareURL, bareCa);
  const webhookMax = await closedLoop(webhookURL, ca.certPem);
  const format = (name: string, run: Run, max: number) =>
    `${name.padEnd(34)} p50 ${run.p50.toFixed(2)} ms   p99 ${run.p99.toFixed(2)} ms   max ${run.max.toFixed(1)} ms   ${run.perSecond.toFixed(0)} req/s achieved (${run.failures} failed)   ${max.toFixed(0)} req/s with 16 in flight`;
  console.log(
    `load: ${rate} requests/s for ${seconds} s, open loop; policies: ${(await client.request<{ items: unknown[] }>("GET", "/apis/switchboard.dev/v1alpha1/integrationpolicies")).items.length}`,
  );
  console.log(format("bare node:https echo", bareRun, bareMax));
  console.log(format("switchboard webhook (Integration)", webhookRun, webhookMax));
  console.log(
    `ratios (webhook / bare): p50 ${(webhookRun.p50 / bareRun.p50).toFixed(2)}, p99 ${(webhookRun.p99 / bareRun.p99).toFixed(2)}, throughput ${(webhookMax / bareMax).toFixed(2)}`,
  );
  // The webhook's own view: time from a request's first byte to its answer, from its histogram.
  const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  const buckets = [
    ...metrics.matchAll(
      /^switchboard_admission_duration_seconds_bucket\{le="([^"]+)",kind="Integration"\} (\d+)$/gm,
    ),
  ].map((m) => [Number(m[1]), Number(m[2])] as const);
  const count = buckets.at(-1)?.[1] ?? 0;
  const quantile = (q: number) => buckets.find(([, n]) => n >= q * count)?.[0];
  console.log(
    `webhook's own handling time (histogram bucket bounds, all runs, ${count} reviews): p50 <= ${String((quantile(0.5) ?? NaN) * 1000)} ms, p99 <= ${String((quantile(0.99) ?? NaN) * 1000)} ms`,
  );
  for (const child of [webhook, bare, apiserver]) child.kill("SIGTERM");
}

await main();
