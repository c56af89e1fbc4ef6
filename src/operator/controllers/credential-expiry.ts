import { X509Certificate } from "node:crypto";
import type { KubeObject } from "../../apiserver/types.js";

/** On a Secret: when what it holds stops working (RFC 3339), for credentials that cannot say it themselves. */
export const expiresAtAnnotation = "switchboard.dev/expires-at";

export type Expiry = { at: Date; source: string } | { error: string } | undefined;

/**
 * When a credential's Secret expires: the annotation if set, else, for a `kubernetes.io/tls` Secret, its
 * certificate's notAfter. The certificate is read from values the caller fetched for this purpose.
 */
export function expiryOf(secret: KubeObject, certificatePem: string | undefined): Expiry {
  const name = secret.metadata.name ?? "";
  const annotation = secret.metadata.annotations?.[expiresAtAnnotation];
  if (annotation !== undefined) {
    const at = new Date(annotation);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(annotation) || Number.isNaN(at.getTime()))
      return {
        error: `Secret "${name}": annotation ${expiresAtAnnotation} must be an RFC 3339 time such as 2027-01-31T00:00:00Z`,
      };
    return { at, source: `annotation ${expiresAtAnnotation}` };
  }
  if (certificatePem === undefined) return undefined;
  try {
    return { at: new Date(new X509Certificate(certificatePem).validTo), source: "its certificate (tls.crt)" };
  } catch {
    return { error: `Secret "${name}": tls.crt is not a PEM certificate` };
  }
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
