import { X509Certificate, createPrivateKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  clockSkewMs,
  createCertificateAuthority,
  loadCertificateAuthority,
} from "./certificate-authority.js";
import { readCertificateInfo } from "./certificate-info.js";
import { issueServingCertificate } from "./serving-certificate.js";
import { x509 } from "./x509-provider.js";

const now = new Date("2030-01-01T00:00:00Z");
const year = 365 * 86_400_000;

describe("createCertificateAuthority", () => {
  it("is a self-signed ECDSA P-256 CA as kubeadm makes: CA true critical, keyCertSign|cRLSign, SKI", async () => {
    const ca = await createCertificateAuthority({ now });
    const certificate = new x509.X509Certificate(ca.certPem);
    const constraints = certificate.getExtension(x509.BasicConstraintsExtension);
    const usages = certificate.getExtension(x509.KeyUsagesExtension);
    expect(constraints).toMatchObject({ ca: true, critical: true });
    expect(usages?.critical).toBe(true);
    expect(usages?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(certificate.subject).toBe("CN=switchboard-ca");
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.signatureAlgorithm).toMatchObject({ name: "ECDSA", hash: { name: "SHA-256" } });
    expect(await certificate.isSelfSigned()).toBe(true);

    const node = new X509Certificate(ca.certPem);
    expect(node.ca).toBe(true);
    expect(node.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    // An unencrypted PKCS#8 PEM: node re-exports it unchanged in that form.
    expect(String(createPrivateKey(ca.keyPem).export({ type: "pkcs8", format: "pem" })).trim()).toBe(
      ca.keyPem.trim(),
    );
  });

  it("is valid for ten years by default, backdated for clock skew", async () => {
    const info = readCertificateInfo((await createCertificateAuthority({ now })).certPem);
    expect(info.notBefore.getTime()).toBe(now.getTime() - clockSkewMs);
    expect(info.notAfter.getTime()).toBe(now.getTime() + 10 * year);
  });

  it("takes the common name and validity it is given", async () => {
    const ca = await createCertificateAuthority({ commonName: "kubernetes", validityMs: 86_400_000, now });
    const info = readCertificateInfo(ca.certPem);
    expect(info.subject).toBe("CN=kubernetes");
    expect(info.notAfter.getTime()).toBe(now.getTime() + 86_400_000);
  });

  it("gives every certificate its own positive serial number", async () => {
    const ca = await createCertificateAuthority({ now });
    const leaves = await Promise.all(
      [1, 2, 3].map(() => issueServingCertificate(ca, { dnsNames: ["localhost"], now })),
    );
    const serials = [ca.certPem, ...leaves.map((l) => l.certPem)].map(
      (p) => readCertificateInfo(p).serialNumber,
    );
    expect(new Set(serials).size).toBe(4);
    // A leading byte of 0x01..0x7f keeps the DER INTEGER positive and minimal, as Go requires.
    for (const serial of serials) expect(serial).toMatch(/^(0[1-9a-f]|[1-7][0-9a-f])[0-9a-f]{30}$/);
  });

  it("caps a leaf's validity at the CA's own expiry", async () => {
    const ca = await createCertificateAuthority({ validityMs: 30 * 86_400_000, now });
    const leaf = await issueServingCertificate(ca, { dnsNames: ["localhost"], validityMs: year, now });
    expect(readCertificateInfo(leaf.certPem).notAfter).toEqual(readCertificateInfo(ca.certPem).notAfter);
  });
});

describe("loadCertificateAuthority", () => {
  it("keeps issuing from a CA read back from its PEMs, naming it by its key identifier", async () => {
    const original = await createCertificateAuthority({ now });
    const loaded = await loadCertificateAuthority(original.certPem, original.keyPem);
    const leaf = await issueServingCertificate(loaded, { dnsNames: ["localhost"], now });
    const caCert = new x509.X509Certificate(original.certPem);
    const leafCert = new x509.X509Certificate(leaf.certPem);
    expect(await leafCert.verify({ publicKey: caCert.publicKey, signatureOnly: true })).toBe(true);
    expect(leafCert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      caCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    expect(new X509Certificate(leaf.certPem).checkIssued(new X509Certificate(original.certPem))).toBe(true);
    expect(loaded.certPem).toBe(original.certPem);
  });

  it("reads an RSA CA key in PKCS#1 form, as older clusters have", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keys = {
      privateKey: await crypto.subtle.importKey(
        "pkcs8",
        privateKey.export({ type: "pkcs8", format: "der" }),
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        true,
        ["sign"],
      ),
      publicKey: await crypto.subtle.importKey(
        "spki",
        publicKey.export({ type: "spki", format: "der" }),
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        true,
        ["verify"],
      ),
    };
    const caCert = await x509.X509CertificateGenerator.createSelfSigned({
      name: "CN=kubernetes",
      keys,
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const ca = await loadCertificateAuthority(caCert.toString("pem"), pkcs1);
    const leaf = await issueServingCertificate(ca, { dnsNames: ["localhost"] });
    expect(
      new X509Certificate(leaf.certPem).verify(new X509Certificate(caCert.toString("pem")).publicKey),
    ).toBe(true);
  });

  it("refuses a certificate that is not a CA", async () => {
    const ca = await createCertificateAuthority({ now });
    const leaf = await issueServingCertificate(ca, { dnsNames: ["localhost"], now });
    await expect(loadCertificateAuthority(leaf.certPem, leaf.keyPem)).rejects.toThrow(
      "CN=localhost is not a CA certificate (basicConstraints CA is not true)",
    );
  });

  it("refuses a key that belongs to another certificate", async () => {
    const a = await createCertificateAuthority({ now });
    const b = await createCertificateAuthority({ now });
    await expect(loadCertificateAuthority(a.certPem, b.keyPem)).rejects.toThrow(
      "the private key does not belong to CN=switchboard-ca",
    );
  });
});
