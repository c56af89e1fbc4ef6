import { createPrivateKey, createPublicKey, type KeyObject, type webcrypto } from "node:crypto";
import { x509 } from "./x509-provider.js";

/** A key pair with the signature algorithm certificates signed by it use. */
export interface SigningKey {
  readonly keys: webcrypto.CryptoKeyPair;
  readonly algorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

const p256 = { name: "ECDSA", namedCurve: "P-256" } as const;

/**
 * A fresh ECDSA P-256 key, signing with SHA-256: what kubeadm and client-go's cert helpers choose,
 * and fast to generate (RSA-2048 generation costs tens of milliseconds; P-256 well under one).
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const keys = await crypto.subtle.generateKey(p256, true, ["sign", "verify"]);
  return { keys, algorithm: { name: "ECDSA", hash: "SHA-256" } };
}

/**
 * Reads a private key in any PEM form a cluster's CA may come in (PKCS#8 `PRIVATE KEY`, SEC1
 * `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`) so an existing CA can keep issuing.
 */
export async function importSigningKey(keyPem: string): Promise<SigningKey> {
  const key = createPrivateKey(keyPem);
  const pkcs8 = key.export({ type: "pkcs8", format: "der" });
  const spki = createPublicKey(key).export({ type: "spki", format: "der" });
  const { importParams, algorithm } = algorithmOf(key);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, importParams, true, ["sign"]);
  const publicKey = await crypto.subtle.importKey("spki", spki, importParams, true, ["verify"]);
  return { keys: { privateKey, publicKey }, algorithm };
}

/** Unencrypted PKCS#8 PEM: the form node:tls, Go's tls.X509KeyPair and kubeconfigs all read. */
export async function exportPrivateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(pkcs8, "PRIVATE KEY");
}

/** Whether a certificate carries the public half of this private key, compared as SPKI bytes. */
export function keyMatchesCertificate(keyPem: string, certPem: string): boolean {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" });
  const fromCert = createPublicKey(certPem).export({ type: "spki", format: "der" });
  return fromKey.equals(fromCert);
}

/**
 * A random 127-bit positive serial. The first byte is kept in 0x01..0x7f: a set top bit would make
 * the DER INTEGER negative and a zero byte would make it non-minimal, and Go's x509 parser rejects both.
 */
export function randomSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString("hex");
}

function algorithmOf(key: KeyObject): {
  importParams: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
  algorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
} {
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    // Go pairs each curve with the hash of matching strength; doing the same keeps signatures unsurprising.
    if (curve === "prime256v1") return { importParams: p256, algorithm: { name: "ECDSA", hash: "SHA-256" } };
    if (curve === "secp384r1")
      return {
        importParams: { name: "ECDSA", namedCurve: "P-384" },
        algorithm: { name: "ECDSA", hash: "SHA-384" },
      };
    throw new Error(`unsupported EC curve ${curve ?? "(unknown)"}: use a P-256 or P-384 CA key`);
  }
  if (key.asymmetricKeyType === "rsa") {
    const params = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { importParams: params, algorithm: params };
  }
  throw new Error(
    `unsupported CA key type ${key.asymmetricKeyType ?? "(unknown)"}: use an ECDSA (P-256, P-384) or RSA key`,
  );
}
