import type { Logger } from "pino";
import type { KubeObject } from "../../apiserver/types.js";
import { isKubeApiError } from "../../operator/kube/kube-client.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import type { CertificateAuthority } from "../../pki/certificate-authority.js";
import { createCertificateAuthority, loadCertificateAuthority } from "../../pki/certificate-authority.js";
import { needsRenewal, readCertificateInfo } from "../../pki/certificate-info.js";
import { issueServingCertificate, serviceDnsNames } from "../../pki/serving-certificate.js";

const day = 86_400_000;

export interface WebhookCertificateSettings {
  namespace: string;
  /** The webhook's Service: the serving certificate's names. */
  serviceName: string;
  /** The Secret the webhook pods mount: tls.crt, tls.key, ca.crt. */
  tlsSecretName: string;
  /** The operator's own Secret: the CA's key and the CA bundle. */
  caSecretName: string;
  /** The ValidatingWebhookConfigurations whose caBundle is kept current. */
  configurationNames: string[];
  /** @default one year, renewed 30 days before expiry */
  servingValidityMs?: number;
  servingRenewBeforeMs?: number;
  /** @default ten years, replaced one year before expiry */
  caValidityMs?: number;
  caRenewBeforeMs?: number;
}

type SecretObject = KubeObject & { data?: Record<string, string>; type?: string };

const decode = (secret: SecretObject | undefined, key: string) =>
  secret?.data?.[key] ? Buffer.from(secret.data[key], "base64").toString("utf8") : undefined;
const encode = (value: string) => Buffer.from(value).toString("base64");

/**
 * The admission webhook's certificates, as cert-manager's CA issuer and cainjector would keep them:
 * a CA (its key in the operator's Secret), a serving certificate for the Service (in the Secret the
 * webhook pods mount, which they re-read), and the CA bundle patched into the webhook
 * configurations. Rotation never leaves a window where the API server distrusts the webhook: a new
 * CA joins the bundle, and the bundle is published, before anything is signed by it; a retired CA
 * leaves the bundle only once expired.
 */
export async function ensureWebhookCertificates(
  client: KubeClient,
  settings: WebhookCertificateSettings,
  log: Logger,
  now: Date = new Date(),
): Promise<{ issuedServing: boolean; rotatedCa: boolean }> {
  const secrets = `/api/v1/namespaces/${settings.namespace}/secrets`;
  const get = (name: string) =>
    client.request<SecretObject>("GET", `${secrets}/${name}`).catch((error: unknown) => {
      if (isKubeApiError(error) && error.code === 404) return undefined;
      throw error;
    });
  const caSecret = await get(settings.caSecretName);
  let caCert = decode(caSecret, "ca.crt");
  let caKey = decode(caSecret, "ca.key");
  let bundle = decode(caSecret, "bundle.crt") ?? caCert ?? "";
  let ca: CertificateAuthority | undefined =
    caCert && caKey ? await loadCertificateAuthority(caCert, caKey) : undefined;
  let rotatedCa = false;
  if (!ca || needsRenewal(ca.certPem, now, settings.caRenewBeforeMs ?? 365 * day)) {
    ca = await createCertificateAuthority({
      commonName: `switchboard-webhook-ca@${Math.floor(now.getTime() / 1000)}`,
      validityMs: settings.caValidityMs ?? 3650 * day,
      now,
    });
    caCert = ca.certPem;
    caKey = ca.keyPem;
    rotatedCa = caSecret !== undefined;
  }
  bundle = [
    caCert ?? "",
    ...splitCertificates(bundle).filter(
      (c) => c.trim() !== caCert?.trim() && readCertificateInfo(c).notAfter > now,
    ),
  ]
    .join("\n")
    .trim();
  await write(client, secrets, settings.caSecretName, caSecret, "Opaque", {
    "ca.crt": caCert ?? "",
    "ca.key": caKey ?? "",
    "bundle.crt": bundle,
  });
  // The bundle first: the API server must trust a CA before anything it signed is served.
  for (const name of settings.configurationNames) await patchCaBundle(client, name, bundle, log);

  const tlsSecret = await get(settings.tlsSecretName);
  const served = decode(tlsSecret, "tls.crt");
  const names = serviceDnsNames(settings.serviceName, settings.namespace);
  const stale =
    !served ||
    needsRenewal(served, now, settings.servingRenewBeforeMs ?? 30 * day) ||
    readCertificateInfo(served).issuer !== readCertificateInfo(ca.certPem).subject ||
    names.some((n) => !readCertificateInfo(served).dnsNames.includes(n));
  if (stale) {
    const issued = await issueServingCertificate(ca, {
      dnsNames: names,
      validityMs: settings.servingValidityMs ?? 365 * day,
      now,
    });
    await write(client, secrets, settings.tlsSecretName, tlsSecret, "kubernetes.io/tls", {
      "tls.crt": issued.chainPem,
      "tls.key": issued.keyPem,
      "ca.crt": bundle,
    });
    log.info(
      { secret: settings.tlsSecretName, notAfter: readCertificateInfo(issued.certPem).notAfter },
      "webhook serving certificate issued",
    );
  }
  return { issuedServing: stale, rotatedCa };
}

function splitCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

async function write(
  client: KubeClient,
  secrets: string,
  name: string,
  existing: SecretObject | undefined,
  type: string,
  values: Record<string, string>,
): Promise<void> {
  const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encode(v)]));
  if (existing && Object.entries(data).every(([k, v]) => existing.data?.[k] === v)) return;
  const body = {
    apiVersion: "v1",
    kind: "Secret",
    type,
    metadata: {
      name,
      labels: {
        "app.kubernetes.io/managed-by": "switchboard-operator",
        "app.kubernetes.io/component": "webhook",
      },
      ...(existing ? { resourceVersion: existing.metadata.resourceVersion } : {}),
    },
    data,
  };
  if (existing) await client.request("PUT", `${secrets}/${name}`, body);
  else await client.request("POST", secrets, body);
}

async function patchCaBundle(client: KubeClient, name: string, bundle: string, log: Logger): Promise<void> {
  const path = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`;
  let configuration: KubeObject & { webhooks?: { clientConfig: { caBundle?: string } }[] };
  try {
    configuration = await client.request("GET", path);
  } catch (error) {
    if (isKubeApiError(error) && error.code === 404) {
      log.debug(
        { configuration: name },
        "webhook configuration not installed yet; its caBundle is set once it is",
      );
      return;
    }
    throw error;
  }
  const caBundle = encode(bundle);
  const webhooks = configuration.webhooks ?? [];
  if (webhooks.every((w) => w.clientConfig.caBundle === caBundle)) return;
  const patch = webhooks.map((_, index) => ({
    op: "add",
    path: `/webhooks/${index}/clientConfig/caBundle`,
    value: caBundle,
  }));
  await client.request("PATCH", path, patch, "application/json-patch+json");
  log.info({ configuration: name }, "webhook caBundle updated");
}
