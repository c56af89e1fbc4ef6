import { isIP } from "node:net";
import { createCertificateAuthority } from "../pki/certificate-authority.js";
import { issueServingCertificate } from "../pki/serving-certificate.js";

export interface ServingIdentity {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A fresh CA and a serving certificate for the listen address, localhost and the in-cluster names, as a cluster's apiserver has. */
export async function createServingIdentity(host: string): Promise<ServingIdentity> {
  const ca = await createCertificateAuthority({ commonName: "switchboard-ca" });
  const names = new Set(["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", host]);
  const dnsNames = [...names].filter((n) => !isIP(n));
  const ipAddresses = [...new Set(["127.0.0.1", ...[...names].filter((n) => isIP(n))])];
  const cert = await issueServingCertificate(ca, { commonName: "kube-apiserver", dnsNames, ipAddresses });
  return { caPem: ca.certPem, certPem: cert.chainPem, keyPem: cert.keyPem };
}
