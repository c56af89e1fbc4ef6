import { createHmac, timingSafeEqual } from "node:crypto";

/** Whether two byte strings are equal, in time that does not depend on where they differ. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hmac(
  algorithm: "sha1" | "sha256" | "sha512",
  key: string | Buffer,
  ...parts: (string | Buffer)[]
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** A received signature decoded; undefined when it is not valid hex or base64. */
export function decodeSignature(text: string, encoding: "hex" | "base64"): Buffer | undefined {
  if (encoding === "hex") return /^([0-9a-f]{2})+$/i.test(text) ? Buffer.from(text, "hex") : undefined;
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : undefined;
}
