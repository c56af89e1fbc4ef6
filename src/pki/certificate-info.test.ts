import { describe, expect, it } from "vitest";
import { createCertificateAuthority } from "./certificate-authority.js";
import { needsRenewal, readCertificateInfo } from "./certificate-info.js";
import { issueServingCertificate } from "./serving-certificate.js";
import { x509 } from "./x509-provider.js";

const issuedAt = new Date("2030-01-01T00:00:00Z");
const day = 86_400_000;

describe("readCertificateInfo", () => {
  it("reads validity, names, issuer and serial from a chain's leaf", async () => {
    const ca = await createCertificateAuthority({ now: issuedAt });
    const leaf = await issueServingCertificate(ca, {
      dnsNames: ["localhost", "kubernetes.default.svc"],
      ipAddresses: ["127.0.0.1", "::1"],
      validityMs: 30 * day,
      now: issuedAt,
    });
    const info = readCertificateInfo(leaf.chainPem);
    expect(info).toMatchObject({
      subject: "CN=localhost",
      issuer: "CN=switchboard-ca",
      notBefore: new Date(issuedAt.getTime() - 5 * 60_000),
      notAfter: new Date(issuedAt.getTime() + 30 * day),
      dnsNames: ["localhost", "kubernetes.default.svc"],
      ipAddresses: ["127.0.0.1", "::1"],
      isCA: false,
      extendedKeyUsages: [x509.ExtendedKeyUsage.serverAuth],
    });
    expect(info.serialNumber).toBe(new x509.X509Certificate(leaf.certPem).serialNumber.toLowerCase());
  });

  it("says what it expected when given something other than a certificate", async () => {
    const { keyPem } = await createCertificateAuthority();
    expect(() => readCertificateInfo(keyPem)).toThrow(
      "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)",
    );
  });
});

describe("needsRenewal", () => {
  it.each([
    ["long before the renewal window", 0, false],
    ["the day before the window opens", 19, false],
    ["when the window opens (10 days before expiry)", 20, true],
    ["inside the window", 25, true],
    ["after expiry", 31, true],
    ["before notBefore (the clock moved back)", -1, true],
  ])("%s", async (_when, daysAfterIssue, expected) => {
    const ca = await createCertificateAuthority({ now: issuedAt });
    const { certPem } = await issueServingCertificate(ca, {
      dnsNames: ["localhost"],
      validityMs: 30 * day,
      now: issuedAt,
    });
    const now = new Date(issuedAt.getTime() + daysAfterIssue * day);
    expect(needsRenewal(certPem, now, 10 * day)).toBe(expected);
  });
});
