import { join } from "node:path";
import { portOption } from "./port-option.js";
import { KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { AdmissionMetrics } from "../governance/admission/admission-metrics.js";
import { startAdmissionServer } from "../governance/admission/admission-server.js";
import { GovernanceCache } from "../governance/admission/governance-cache.js";
import { reviewObject } from "../governance/admission/review-object.js";
import { AuditLog } from "../governance/audit/audit-log.js";
import { startHealthServer } from "../operator/health/health-server.js";
import { KubeClient } from "../operator/kube/kube-client.js";

export interface ServeWebhookOptions {
  port: string;
  certDir: string;
  healthPort: string;
  kubeconfig?: string;
  auditLog: string;
  auditUrl?: string;
}

/** `switchboard webhook serve`: the admission webhook process. */
export async function serveWebhook(options: ServeWebhookOptions): Promise<void> {
  const log = pino({ level: process.env.LOG_LEVEL ?? "info", name: "webhook" }, pino.destination(2));
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
  else if (process.env.KUBERNETES_SERVICE_HOST) kubeConfig.loadFromCluster();
  else kubeConfig.loadFromDefault();
  const cache = new GovernanceCache(new KubeClient(kubeConfig), log);
  const metrics = new AdmissionMetrics();
  let ready = false;
  const audit = new AuditLog({
    ...(options.auditLog === "-"
      ? { write: (line: string) => process.stdout.write(`${line}\n`) }
      : { file: options.auditLog }),
    ...(options.auditUrl ? { url: options.auditUrl } : {}),
    onDropped: (count) => log.error({ count }, "audit events dropped: the audit URL has been down too long"),
  });
  const health = await startHealthServer({
    port: portOption(options.healthPort, "--health-port"),
    registry: metrics.registry,
    ready: () => ready,
  });
  await cache.start();
  const server = await startAdmissionServer({
    port: portOption(options.port, "--port"),
    tls: { certFile: join(options.certDir, "tls.crt"), keyFile: join(options.certDir, "tls.key") },
    review: (request) => reviewObject(request, cache),
    metrics,
    audit,
    log,
  });
  ready = true;
  log.info({ port: server.port, healthPort: health.port }, "admission webhook serving");
  const stop = (signal: string): void => {
    log.info({ signal }, "stopping");
    ready = false;
    void Promise.all([server.close(), health.close(), audit.close()]).then(() => {
      cache.stop();
      process.exit(0);
    });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}
