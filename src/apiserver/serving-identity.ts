import "reflect-metadata";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

export interface ServingIdentity {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/** A CA and a serving certificate for localhost and the listen address, like a cluster's apiserver cert. */
export async function createServingIdentity(host: string): Promise<ServingIdentity> {
  x509.cryptoProvider.set(globalThis.crypto);
  const now = new Date(Date.now() - 60_000);
  const caKeys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=switchboard-ca",
    notBefore: now,
    notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const keys = await crypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const names = new Set(["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", host]);
  const sans = [...names].map((n) =>
    isIP(n) ? { type: "ip" as const, value: n } : { type: "dns" as const, value: n },
  );
  if (!names.has("127.0.0.1")) sans.push({ type: "ip", value: "127.0.0.1" });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=kube-apiserver",
    issuer: ca.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(sans),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    caPem: ca.toString("pem"),
    certPem: cert.toString("pem"),
    keyPem: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"),
  };
}

function serial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
