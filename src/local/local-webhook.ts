import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { localAddressesAnnotation } from "../apiserver/http/service-proxy.js";
import { isKubeApiError } from "../operator/kube/kube-client.js";
import type { KubeClient } from "../operator/kube/kube-client.js";
import { AdmissionMetrics } from "../governance/admission/admission-metrics.js";
import { startAdmissionServer } from "../governance/admission/admission-server.js";
import { GovernanceCache } from "../governance/admission/governance-cache.js";
import { reviewObject } from "../governance/admission/review-object.js";
import {
  validatingWebhookConfiguration,
  webhookConfigurationName,
} from "../governance/admission/webhook-configuration.js";
import type { AuditLog } from "../governance/audit/audit-log.js";
import type { WebhookCertificateSettings } from "../governance/certificates/webhook-certificates.js";
import { ensureWebhookCertificates } from "../governance/certificates/webhook-certificates.js";

export const localWebhookCertificates: WebhookCertificateSettings = {
  namespace: "switchboard-system",
  serviceName: "switchboard-webhook",
  tlsSecretName: "switchboard-webhook-tls",
  caSecretName: "switchboard-webhook-ca",
  configurationNames: [webhookConfigurationName],
};

/**
 * The admission webhook in local mode, on the same path as in a cluster: certificates made as the
 * operator makes them, the webhook serving them behind its Service (a local address), and the
 * ValidatingWebhookConfiguration registered with the CA bundle, so every write to Switchboard's kinds
 * goes through admission and the policies.
 */
export async function startLocalWebhook(options: {
  client: KubeClient;
  dir: string;
  audit: AuditLog;
  log: Logger;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const { client, dir, log } = options;
  const settings = localWebhookCertificates;
  await ensureWebhookCertificates(client, settings, log);
  const secret = (name: string) =>
    client.request<{ data: Record<string, string> }>(
      "GET",
      `/api/v1/namespaces/${settings.namespace}/secrets/${name}`,
    );
  const tls = await secret(settings.tlsSecretName);
  const decode = (value: string | undefined) => Buffer.from(value ?? "", "base64");
  await writeFile(join(dir, "tls.crt"), decode(tls.data["tls.crt"]), { mode: 0o600 });
  await writeFile(join(dir, "tls.key"), decode(tls.data["tls.key"]), { mode: 0o600 });
  const cache = new GovernanceCache(client, log);
  await cache.start();
  const server = await startAdmissionServer({
    port: 0,
    host: "127.0.0.1",
    tls: { certFile: join(dir, "tls.crt"), keyFile: join(dir, "tls.key") },
    review: (request) => reviewObject(request, cache),
    metrics: new AdmissionMetrics(),
    audit: options.audit,
    log,
  });
  const apply = (path: string, body: unknown) =>
    client.request(
      "PATCH",
      `${path}?fieldManager=switchboard-dev&force=true`,
      body,
      "application/apply-patch+yaml",
    );
  await apply(`/api/v1/namespaces/${settings.namespace}/services/${settings.serviceName}`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: settings.serviceName,
      namespace: settings.namespace,
      annotations: { [localAddressesAnnotation]: JSON.stringify({ https: `127.0.0.1:${server.port}` }) },
    },
    spec: { ports: [{ name: "https", port: 443, targetPort: 9443 }] },
  });
  const ca = await secret(settings.caSecretName);
  await apply(
    `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${webhookConfigurationName}`,
    validatingWebhookConfiguration({
      caBundle: ca.data["bundle.crt"] ?? "",
      service: { namespace: settings.namespace, name: settings.serviceName },
    }),
  );
  return {
    url: `https://127.0.0.1:${server.port}/validate`,
    close: async () => {
      // Writes go on while local mode stops (finalizers): the webhook leaves the path before it stops.
      await client
        .request(
          "DELETE",
          `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${webhookConfigurationName}`,
        )
        .catch((error: unknown) => {
          if (!isKubeApiError(error) || error.code !== 404) throw error;
        });
      await server.close();
      cache.stop();
    },
  };
}
