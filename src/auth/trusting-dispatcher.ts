import { rootCertificates } from "node:tls";
import { Agent } from "undici";

/**
 * An HTTP dispatcher that trusts the public CAs Node ships with and, besides them, the given PEM
 * certificates: for token endpoints and vendor APIs behind a private CA.
 */
export function trustingDispatcher(extraCaPem: string | undefined): Agent | undefined {
  if (!extraCaPem) return undefined;
  return new Agent({ connect: { ca: [...rootCertificates, extraCaPem] } });
}
