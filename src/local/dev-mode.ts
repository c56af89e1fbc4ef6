import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { customResourceDefinitions } from "../api/custom-resource-definitions.js";
import type { Integration } from "../api/types.js";
import { EmbeddedApiServer } from "../apiserver/embedded-api-server.js";
import type { KubeObject } from "../apiserver/types.js";
import { KubeClient } from "../operator/kube/kube-client.js";
import { Operator } from "../operator/operator.js";
import { runtimePorts } from "../operator/render/runtime-settings.js";
import type { DevServices } from "./dev-services/dev-services.js";
import { startDevServices } from "./dev-services/dev-services.js";
import { LocalExecutor, localAddressesAnnotation } from "./executor/local-executor.js";
import type { RestartBackoff } from "./executor/local-pod.js";
import { ManifestSync } from "./manifests/manifest-sync.js";
import { AuditLog } from "../governance/audit/audit-log.js";
import { localWebhookCertificates, startLocalWebhook } from "./local-webhook.js";

export interface DevModeOptions {
  /** Keep the API server's objects, the journals and the Service ports here; otherwise a temporary folder, removed at stop. */
  stateDir?: string;
  /** @default 6443 */
  apiserverPort?: number;
  kubeconfigPath: string;
  /** Folders or files of manifests, applied and watched. */
  manifests: string[];
  /** The catalog's folder, installed first; none when undefined. */
  catalog?: string;
  /** Port of the dev services (sinks, token endpoint, example API). @default 7070 */
  servicesPort?: number;
  /** The operator's /metrics and health port. @default 0 (a free one) */
  operatorPort?: number;
  /** How the runtime runs: `[node, <this CLI>]`. */
  runtimeCommand: string[];
  backoff?: RestartBackoff;
  /** The runtimes' lines, prefixed by their Integration. */
  output: (line: string) => void;
  /** Lines about what dev mode does: manifests applied, requests the dev services received. */
  report: (line: string, level: "info" | "error") => void;
  log: Logger;
}

export interface IntegrationEndpoints {
  namespace: string;
  name: string;
  ready: boolean;
  reason: string | undefined;
  webhookURL: string | undefined;
  actionsURL: string | undefined;
  metricsURL: string | undefined;
}

/**
 * The whole product on one machine: the embedded API server with the CRDs, the operator against it,
 * a local executor running the Deployments it creates as processes, the dev services the examples
 * call, and the manifests of a folder kept applied.
 */
export class DevMode {
  readonly options: DevModeOptions;
  server: EmbeddedApiServer | undefined;
  client: KubeClient | undefined;
  operator: Operator | undefined;
  executor: LocalExecutor | undefined;
  services: DevServices | undefined;
  sync: ManifestSync | undefined;
  webhook: { url: string; close: () => Promise<void> } | undefined;
  audit: AuditLog | undefined;
  /** The token the runtimes' action APIs accept in local mode. */
  actionToken = "";
  #dir = "";

  constructor(options: DevModeOptions) {
    this.options = options;
  }

  get dir(): string {
    return this.#dir;
  }

  async start(): Promise<void> {
    const { options } = this;
    this.#dir = options.stateDir ?? (await mkdtemp(join(tmpdir(), "switchboard-dev-")));
    await mkdir(this.#dir, { recursive: true });
    this.actionToken = await this.#actionToken();
    this.server = new EmbeddedApiServer({
      port: options.apiserverPort ?? 6443,
      crds: customResourceDefinitions() as unknown as KubeObject[],
      namespaces: ["switchboard-system"],
      ...(options.stateDir ? { stateFile: join(this.#dir, "apiserver.json") } : {}),
      logger: options.log.child({ component: "apiserver" }),
    });
    const { kubeconfig } = await this.server.start();
    await mkdir(dirname(options.kubeconfigPath), { recursive: true });
    await writeFile(options.kubeconfigPath, kubeconfig, { mode: 0o600 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(kubeconfig);
    this.client = new KubeClient(kubeConfig);

    this.services = await startDevServices({
      port: options.servicesPort ?? 7070,
      client: { id: "switchboard-local", secret: "local-client-secret" },
      report: (line) => options.report(line, "info"),
    });
    this.operator = new Operator({
      kubeConfig,
      log: options.log.child({ component: "operator" }),
      healthPort: options.operatorPort ?? 0,
      leaderElection: false,
      namespace: "switchboard-system",
      runtime: { image: "switchboard:local", imagePullPolicy: "Never" },
      governance: { auditIntervalMs: 60_000, webhookCertificates: localWebhookCertificates },
    });
    this.audit = new AuditLog({ file: join(this.#dir, "audit.jsonl") });
    this.webhook = await startLocalWebhook({
      client: this.client,
      dir: this.#dir,
      audit: this.audit,
      log: options.log.child({ component: "webhook" }),
    });
    await this.operator.start();
    this.executor = new LocalExecutor({
      kubeConfig,
      workDir: join(this.#dir, "workloads"),
      command: options.runtimeCommand,
      localArgs: (container, ports) => {
        const port = (name: string) => {
          const containerPort = container.ports?.find((p) => p.name === name)?.containerPort;
          return String(containerPort === undefined ? 0 : ports.get(containerPort));
        };
        return [
          ...["--host", "127.0.0.1", "--port", port("http"), "--admin-port", port("metrics")],
          ...["--action-token", this.actionToken, "--no-token-review"],
        ];
      },
      output: options.output,
      log: options.log.child({ component: "executor" }),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    await this.executor.start();
    this.sync = new ManifestSync({
      client: this.client,
      paths: [...(options.catalog ? [options.catalog] : []), ...options.manifests],
      ...(options.stateDir ? { recordFile: join(this.#dir, "applied.json") } : {}),
      report: options.report,
    });
    await this.sync.sync();
    this.sync.watch();
  }

  /** Resolves once every Integration is Ready, or with the ones that are not after the timeout. */
  async waitForIntegrations(timeoutMs: number): Promise<IntegrationEndpoints[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const integrations = await this.integrations();
      if (integrations.every((i) => i.ready && i.webhookURL) || Date.now() > deadline) return integrations;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Every Integration with its local URLs. */
  async integrations(): Promise<IntegrationEndpoints[]> {
    const client = this.#client();
    const list = await client.request<{ items: Integration[] }>(
      "GET",
      "/apis/switchboard.dev/v1alpha1/integrations",
    );
    const services = await client.request<{ items: KubeObject[] }>(
      "GET",
      "/api/v1/services?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dswitchboard-operator",
    );
    return list.items.map((integration) => {
      const { namespace = "default", name = "" } = integration.metadata ?? {};
      const ready = integration.status?.conditions?.find((c) => c.type === "Ready");
      const service = services.items.find(
        (s) => s.metadata.namespace === namespace && s.metadata.name === name,
      );
      const addresses = JSON.parse(
        service?.metadata.annotations?.[localAddressesAnnotation] ?? "{}",
      ) as Record<string, string>;
      const http = addresses.http ? `http://${addresses.http}` : undefined;
      const metrics = addresses.metrics ?? addresses[String(runtimePorts.metrics)];
      return {
        namespace,
        name,
        ready: ready?.status === "True",
        reason: ready?.reason,
        webhookURL: http && `${http}${integration.spec.webhook?.path ?? "/webhook"}`,
        actionsURL: http && `${http}/actions`,
        metricsURL: metrics && `http://${metrics}/metrics`,
      };
    });
  }

  async stop(): Promise<void> {
    await this.sync?.close();
    await this.executor?.stop();
    await this.webhook?.close();
    await this.audit?.close();
    await this.operator?.stop();
    await this.services?.close();
    await this.server?.stop();
    if (!this.options.stateDir && this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }

  #client(): KubeClient {
    if (!this.client) throw new Error("dev mode is not started");
    return this.client;
  }

  /** Kept in the state folder so a resumed dev mode accepts the same token. */
  async #actionToken(): Promise<string> {
    const file = join(this.#dir, "action-token");
    const kept = await readFile(file, "utf8").catch(() => "");
    if (kept.trim()) return kept.trim();
    const token = randomBytes(18).toString("base64url");
    await writeFile(file, token, { mode: 0o600 });
    return token;
  }
}
