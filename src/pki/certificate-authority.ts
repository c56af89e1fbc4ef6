import {
  exportPrivateKeyPem,
  generateSigningKey,
  importSigningKey,
  keyMatchesCertificate,
  randomSerialNumber,
  type SigningKey,
} from "./signing-key.js";
import { x509 } from "./x509-provider.js";

const day = 86_400_000;
const year = 365 * day;

/**
 * How far back `notBefore` is set. A certificate stamped with this machine's "now" is rejected by a
 * client whose clock runs a few seconds behind; client-go's own helpers backdate for the same reason.
 */
export const clockSkewMs = 5 * 60_000;

export interface CertificateAuthorityOptions {
  /** The CA's subject common name. @default "switchboard-ca" */
  readonly commonName?: string;
  /** How long the CA certificate is valid, in milliseconds. @default ten years */
  readonly validityMs?: number;
  /** The moment the certificate is issued; a parameter so tests can fix time. @default new Date() */
  readonly now?: Date;
}

/** What to put in a certificate the CA issues; `serving-certificate.ts` builds these for TLS roles. */
export interface CertificateProfile {
  /**
   * Subject as relative distinguished names in order,
   * e.g. `[{ O: ["system:masters"] }, { CN: ["admin"] }]`.
   */
  readonly subject: x509.JsonName;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Extended key usage OIDs (`x509.ExtendedKeyUsage.serverAuth`, `.clientAuth`). */
  readonly extendedKeyUsages: readonly string[];
  /** `x509.KeyUsageFlags` combined with `|`. */
  readonly keyUsages: number;
  /** How long the certificate is valid, in milliseconds; capped at the CA's own expiry. */
  readonly validityMs: number;
  /** @default new Date() */
  readonly now?: Date;
}

export interface IssuedCertificate {
  /** The issued certificate alone. */
  readonly certPem: string;
  /** The certificate followed by the CA's: what a TLS server presents. */
  readonly chainPem: string;
  /** The certificate's private key as PKCS#8 PEM. */
  readonly keyPem: string;
  /** The issuing CA's certificate, for the other side's trust store. */
  readonly caPem: string;
}

export interface CertificateAuthority {
  readonly certPem: string;
  /** The CA's private key as PKCS#8 PEM. */
  readonly keyPem: string;
  issue(profile: CertificateProfile): Promise<IssuedCertificate>;
}

/** A new self-signed ECDSA P-256 CA, shaped as kubeadm's `ca.crt`. */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions = {},
): Promise<CertificateAuthority> {
  const key = await generateSigningKey();
  const now = options.now ?? new Date();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: [{ CN: [options.commonName ?? "switchboard-ca"] }],
    notBefore: new Date(now.getTime() - clockSkewMs),
    notAfter: new Date(now.getTime() + (options.validityMs ?? 10 * year)),
    keys: key.keys,
    signingAlgorithm: key.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(key.keys.publicKey),
    ],
  });
  return authority(certificate, key, await exportPrivateKeyPem(key.keys.privateKey));
}

/** An existing CA (a cluster's `ca.crt` and `ca.key`, say), to keep issuing from. */
export async function loadCertificateAuthority(
  certPem: string,
  keyPem: string,
): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(certPem);
  const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca)
    throw new Error(`${certificate.subject} is not a CA certificate (basicConstraints CA is not true)`);
  if (!keyMatchesCertificate(keyPem, certPem))
    throw new Error(`the private key does not belong to ${certificate.subject}: check the key file`);
  const key = await importSigningKey(keyPem);
  return authority(certificate, key, await exportPrivateKeyPem(key.keys.privateKey));
}

function authority(ca: x509.X509Certificate, key: SigningKey, keyPem: string): CertificateAuthority {
  const certPem = ca.toString("pem");
  // Leaves name the CA by its subject key identifier so verifiers pick the right issuer when a trust
  // store holds several CAs with one subject (as during rotation).
  const caKeyId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return {
    certPem,
    keyPem,
    async issue(profile) {
      const leafKey = await generateSigningKey();
      const now = profile.now ?? new Date();
      const notAfter = Math.min(now.getTime() + profile.validityMs, ca.notAfter.getTime());
      const names = [
        ...(profile.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
        ...(profile.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
      ];
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerialNumber(),
        subject: profile.subject,
        // The CA's parsed name, not its string form: Go matches issuer to subject byte for byte, and
        // re-encoding a string could change an attribute's ASN.1 string type.
        issuer: ca.subjectName,
        notBefore: new Date(now.getTime() - clockSkewMs),
        notAfter: new Date(notAfter),
        publicKey: leafKey.keys.publicKey,
        signingKey: key.keys.privateKey,
        signingAlgorithm: key.algorithm,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(profile.keyUsages, true),
          new x509.ExtendedKeyUsageExtension([...profile.extendedKeyUsages]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
          caKeyId
            ? new x509.AuthorityKeyIdentifierExtension(caKeyId)
            : await x509.AuthorityKeyIdentifierExtension.create(key.keys.publicKey),
        ],
      });
      const leafPem = certificate.toString("pem");
      return {
        certPem: leafPem,
        chainPem: `${leafPem.trimEnd()}\n${certPem.trimEnd()}\n`,
        keyPem: await exportPrivateKeyPem(leafKey.keys.privateKey),
        caPem: certPem,
      };
    },
  };
}
