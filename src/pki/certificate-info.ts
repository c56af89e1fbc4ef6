import { x509 } from "./x509-provider.js";

export interface CertificateInfo {
  /** Distinguished name as `CN=..., O=...`. */
  readonly subject: string;
  readonly issuer: string;
  /** Hexadecimal, as `openssl x509 -serial` prints it (lower case). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly isCA: boolean;
  /** Extended key usage OIDs, e.g. `1.3.6.1.5.5.7.3.1` for serverAuth. */
  readonly extendedKeyUsages: readonly string[];
}

/** Reads the first certificate of a PEM (a chain's leaf). */
export function readCertificateInfo(certPem: string): CertificateInfo {
  const certificate = new x509.X509Certificate(firstCertificate(certPem));
  const names = certificate.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    dnsNames: names.filter((n) => n.type === "dns").map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === "ip").map((n) => n.value),
    isCA: certificate.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    extendedKeyUsages: (certificate.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? []).map(String),
  };
}

/**
 * Whether a certificate should be replaced at `now`: within `renewBeforeMs` of expiry, already
 * expired, or not yet valid (a clock that moved back makes every client reject it, as expiry does).
 */
export function needsRenewal(certPem: string, now: Date, renewBeforeMs: number): boolean {
  const { notBefore, notAfter } = readCertificateInfo(certPem);
  const at = now.getTime();
  return at < notBefore.getTime() || at >= notAfter.getTime() - renewBeforeMs;
}

function firstCertificate(pem: string): string {
  const end = "-----END CERTIFICATE-----";
  const at = pem.indexOf(end);
  if (at < 0) throw new Error("no PEM certificate found (expected -----BEGIN CERTIFICATE-----)");
  return pem.slice(0, at + end.length);
}
