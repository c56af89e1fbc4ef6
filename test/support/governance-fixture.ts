import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { customResourceDefinitions } from "../../src/api/custom-resource-definitions.js";
import type { KubeObject } from "../../src/apiserver/types.js";
import { AdmissionMetrics } from "../../src/governance/admission/admission-metrics.js";
import { startAdmissionServer } from "../../src/governance/admission/admission-server.js";
import { GovernanceCache } from "../../src/governance/admission/governance-cache.js";
import { reviewObject } from "../../src/governance/admission/review-object.js";
import { validatingWebhookConfiguration } from "../../src/governance/admission/webhook-configuration.js";
import { AuditLog } from "../../src/governance/audit/audit-log.js";
import type { WebhookCertificateSettings } from "../../src/governance/certificates/webhook-certificates.js";
import { ensureWebhookCertificates } from "../../src/governance/certificates/webhook-certificates.js";
import { KubeClient } from "../../src/operator/kube/kube-client.js";
import type { ApiServerFixture } from "./api-server-fixture.js";
import { startApiServer } from "./api-server-fixture.js";

export interface GovernanceFixture {
  api: ApiServerFixture;
  client: KubeClient;
  cache: GovernanceCache;
  metrics: AdmissionMetrics;
  /** Audit events as written, one JSON line each. */
  auditLines: string[];
  certificates: WebhookCertificateSettings;
  /** Writes the TLS Secret's keys as the files the webhook reads (what kubelet does), and reloads. */
  syncCertificateFiles(): Promise<void>;
  stopWebhook(): Promise<void>;
  startWebhook(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded API server with the CRDs, Switchboard's admission webhook serving over HTTPS behind a
 * Service in switchboard-system (reached as the API server reaches Services), its certificates made
 * and its caBundle injected by the operator's certificate code, and its ValidatingWebhookConfiguration
 * registered: the real admission path, in process.
 */
export async function startGovernanceFixture(): Promise<GovernanceFixture> {
  const api = await startApiServer({
    crds: customResourceDefinitions() as unknown as KubeObject[],
    namespaces: ["switchboard-system"],
  });
  const client = new KubeClient(api.kubeConfig);
  const log = pino({ level: "silent" });
  const dir = await mkdtemp(join(tmpdir(), "switchboard-governance-"));
  const certificates: WebhookCertificateSettings = {
    namespace: "switchboard-system",
    serviceName: "switchboard-webhook",
    tlsSecretName: "switchboard-webhook-tls",
    caSecretName: "switchboard-webhook-ca",
    configurationNames: ["switchboard"],
  };
  await client.request(
    "POST",
    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
    validatingWebhookConfiguration({
      caBundle: "",
      service: { namespace: "switchboard-system", name: "switchboard-webhook" },
    }),
  );
  await ensureWebhookCertificates(client, certificates, log);
  const cache = new GovernanceCache(client, log);
  await cache.start();
  const metrics = new AdmissionMetrics();
  const auditLines: string[] = [];
  const audit = new AuditLog({ write: (line) => auditLines.push(line) });
  const syncFiles = async () => {
    const secret = await client.request<{ data: Record<string, string> }>(
      "GET",
      "/api/v1/namespaces/switchboard-system/secrets/switchboard-webhook-tls",
    );
    for (const key of ["tls.crt", "tls.key"])
      await writeFile(join(dir, key), Buffer.from(secret.data[key] ?? "", "base64"));
  };
  await syncFiles();
  let server: Awaited<ReturnType<typeof startAdmissionServer>> | undefined;
  const startWebhook = async () => {
    server = await startAdmissionServer({
      port: 0,
      host: "127.0.0.1",
      tls: { certFile: join(dir, "tls.crt"), keyFile: join(dir, "tls.key") },
      review: (request) => reviewObject(request, cache),
      metrics,
      audit,
      log,
      reloadIntervalMs: 60_000,
    });
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "switchboard-webhook",
        namespace: "switchboard-system",
        annotations: {
          "switchboard.dev/local-addresses": JSON.stringify({ https: `127.0.0.1:${server.port}` }),
        },
      },
      spec: { ports: [{ name: "https", port: 443, targetPort: 9443 }] },
    };
    await client.request(
      "PATCH",
      "/api/v1/namespaces/switchboard-system/services/switchboard-webhook?fieldManager=test&force=true",
      service,
      "application/apply-patch+yaml",
    );
  };
  await startWebhook();
  return {
    api,
    client,
    cache,
    metrics,
    auditLines,
    certificates,
    syncCertificateFiles: async () => {
      await syncFiles();
      await server?.reload();
    },
    stopWebhook: async () => {
      await server?.close();
      server = undefined;
    },
    startWebhook,
    close: async () => {
      await server?.close();
      cache.stop();
      await audit.close();
      await api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
