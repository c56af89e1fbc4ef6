import { isIP } from "node:net";
import type { CertificateAuthority, IssuedCertificate } from "./certificate-authority.js";
import { x509 } from "./x509-provider.js";

const year = 365 * 86_400_000;

export interface ServingCertificateOptions {
  /** Names clients dial: `localhost`, `kubernetes.default.svc`, a webhook's `svc.ns.svc`. */
  readonly dnsNames?: readonly string[];
  /** Addresses clients dial: `127.0.0.1`, `::1`. */
  readonly ipAddresses?: readonly string[];
  /**
   * Subject common name; informational only, since Go clients match names against the SANs alone.
   * @default the first DNS name, else the first IP address
   */
  readonly commonName?: string;
  /** @default one year */
  readonly validityMs?: number;
  /** @default new Date() */
  readonly now?: Date;
}

export interface ClientCertificateOptions {
  /** The user name the API server authenticates the certificate as (subject CN). */
  readonly user: string;
  /** Groups the user is in (one subject O each), e.g. `system:masters`. */
  readonly groups?: readonly string[];
  /** @default one year */
  readonly validityMs?: number;
  /** @default new Date() */
  readonly now?: Date;
}

// A hostname as Go's x509 accepts in a dNSName SAN: RFC 1123 labels, optionally a leading `*.` wildcard.
const dnsName = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

/**
 * A TLS server certificate: EKU serverAuth, keyUsage digitalSignature|keyEncipherment, every name
 * in subjectAltName. Go (kubectl, client-go) has ignored the common name since 1.15, so at least one
 * DNS name or IP address is required.
 */
export async function issueServingCertificate(
  ca: CertificateAuthority,
  options: ServingCertificateOptions,
): Promise<IssuedCertificate> {
  const dnsNames = unique(options.dnsNames ?? []);
  const ipAddresses = unique(options.ipAddresses ?? []);
  for (const name of dnsNames)
    if (!dnsName.test(name)) throw new Error(`"${name}" is not a DNS name a TLS client can match`);
  for (const address of ipAddresses)
    if (isIP(address) === 0) throw new Error(`"${address}" is not an IPv4 or IPv6 address`);
  const commonName = options.commonName ?? dnsNames[0] ?? ipAddresses[0];
  if (commonName === undefined || dnsNames.length + ipAddresses.length === 0)
    throw new Error(
      "a serving certificate needs at least one DNS name or IP address: Go clients ignore the common name",
    );
  return ca.issue({
    subject: [{ CN: [commonName] }],
    dnsNames,
    ipAddresses,
    extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    validityMs: options.validityMs ?? year,
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * A TLS client certificate as kube-apiserver authenticates it: the subject CN is the user and each
 * subject O a group, EKU clientAuth.
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  options: ClientCertificateOptions,
): Promise<IssuedCertificate> {
  if (options.user === "") throw new Error("a client certificate needs a user name (its subject CN)");
  return ca.issue({
    // Organizations before the common name, in the order Go's pkix.Name writes them.
    subject: [...unique(options.groups ?? []).map((group) => ({ O: [group] })), { CN: [options.user] }],
    extendedKeyUsages: [x509.ExtendedKeyUsage.clientAuth],
    keyUsages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    validityMs: options.validityMs ?? year,
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * The names a Service is reached by from inside a cluster, as webhook and aggregated API serving
 * certificates list them.
 */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
