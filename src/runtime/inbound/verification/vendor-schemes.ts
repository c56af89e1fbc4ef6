import { createPublicKey, verify as verifySignature } from "node:crypto";
import { decodeSignature, hmac, sameBytes } from "./constant-time.js";
import type { InboundRequest, VerificationResult } from "./inbound-request.js";
import { failed, header, verified } from "./inbound-request.js";
import { verifyHmac } from "./hmac-scheme.js";
import { checkTimestamp } from "./timestamp-window.js";

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export function verifyGithub(
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
): VerificationResult {
  return verifyHmac(
    { header: "X-Hub-Signature-256", prefix: "sha256=", algorithm: "sha256", encoding: "hex" },
    secrets,
    request,
    now,
    0,
  );
}

/** Slack: `X-Slack-Signature: v0=<hex>` over `v0:{X-Slack-Request-Timestamp}:{body}`. */
export function verifySlack(
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
  toleranceSeconds: number,
): VerificationResult {
  return verifyHmac(
    {
      header: "X-Slack-Signature",
      prefix: "v0=",
      algorithm: "sha256",
      encoding: "hex",
      signedContent: "v0:{timestamp}:{body}",
      timestampHeader: "X-Slack-Request-Timestamp",
    },
    secrets,
    request,
    now,
    toleranceSeconds,
  );
}

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` over `{t}.{body}`; any v1 may match. */
export function verifyStripe(
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
  toleranceSeconds: number,
): VerificationResult {
  const received = header(request, "Stripe-Signature");
  if (received === undefined) return failed("missing-signature", "header Stripe-Signature is missing");
  const pairs = received.split(",").map((part) => part.trim().split("=", 2) as [string, string | undefined]);
  const timestamp = pairs.find(([key]) => key === "t")?.[1];
  const signatures = pairs
    .filter(([key]) => key === "v1")
    .map(([, value]) => decodeSignature(value ?? "", "hex"));
  if (timestamp === undefined || signatures.length === 0)
    return failed("malformed-signature", "header Stripe-Signature has no t= or no v1= signature");
  const problem = checkTimestamp(timestamp, "Stripe-Signature timestamp", toleranceSeconds, now);
  if (problem) return problem;
  return matchAny(
    secrets,
    signatures,
    (secret) => hmac("sha256", secret, `${timestamp}.`, request.rawBody),
    "Stripe-Signature",
  );
}

/** PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]` over the body; any may match. */
export function verifyPagerDuty(secrets: readonly string[], request: InboundRequest): VerificationResult {
  const received = header(request, "X-PagerDuty-Signature");
  if (received === undefined) return failed("missing-signature", "header X-PagerDuty-Signature is missing");
  const signatures = received
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("v1="))
    .map((s) => decodeSignature(s.slice(3), "hex"));
  if (signatures.length === 0)
    return failed("malformed-signature", "header X-PagerDuty-Signature has no v1= signature");
  return matchAny(
    secrets,
    signatures,
    (secret) => hmac("sha256", secret, request.rawBody),
    "X-PagerDuty-Signature",
  );
}

/**
 * Standard Webhooks: `webhook-id`, `webhook-timestamp`, and `webhook-signature` holding space-separated
 * `v1,<base64 HMAC-SHA256>` (secret `whsec_<base64>`) and `v1a,<base64 ed25519>` (public key
 * `whpk_<base64>`) entries over `{id}.{timestamp}.{body}`; any may match.
 */
export function verifyStandardWebhooks(
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
  toleranceSeconds: number,
): VerificationResult {
  const id = header(request, "webhook-id");
  const timestamp = header(request, "webhook-timestamp");
  const received = header(request, "webhook-signature");
  if (id === undefined) return failed("missing-signature", "header webhook-id is missing");
  if (received === undefined) return failed("missing-signature", "header webhook-signature is missing");
  const problem = checkTimestamp(timestamp, "header webhook-timestamp", toleranceSeconds, now);
  if (problem) return problem;
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp ?? ""}.`), request.rawBody]);
  const entries = received.split(" ").map((entry) => entry.split(",", 2) as [string, string | undefined]);
  if (entries.every(([version, value]) => (version !== "v1" && version !== "v1a") || !value))
    return failed("malformed-signature", "header webhook-signature has no v1 or v1a signature");
  for (const secret of secrets) {
    for (const [version, value] of entries) {
      const signature = decodeSignature(value ?? "", "base64");
      if (!signature) continue;
      if (version === "v1" && secret.startsWith("whsec_")) {
        if (sameBytes(hmac("sha256", Buffer.from(secret.slice(6), "base64"), content), signature))
          return verified;
      } else if (version === "v1a" && secret.startsWith("whpk_")) {
        const key = createPublicKey({
          key: {
            kty: "OKP",
            crv: "Ed25519",
            x: Buffer.from(secret.slice(5), "base64").toString("base64url"),
          },
          format: "jwk",
        });
        if (verifySignature(null, content, key, signature)) return verified;
      }
    }
  }
  return failed("bad-signature", "header webhook-signature matches no current secret");
}

/**
 * Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 over the URL followed, for form posts, by every
 * parameter name and value sorted by name. JSON posts sign the URL only (carrying `bodySHA256`).
 */
export function verifyTwilio(secrets: readonly string[], request: InboundRequest): VerificationResult {
  const received = header(request, "X-Twilio-Signature");
  if (received === undefined) return failed("missing-signature", "header X-Twilio-Signature is missing");
  const signature = decodeSignature(received, "base64");
  if (!signature) return failed("malformed-signature", "header X-Twilio-Signature is not base64");
  const contentType = header(request, "content-type") ?? "";
  let content = request.url;
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    const params = [...new URLSearchParams(request.rawBody.toString("utf8"))].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    content += params.map(([name, value]) => name + value).join("");
  }
  return matchAny(secrets, [signature], (secret) => hmac("sha1", secret, content), "X-Twilio-Signature");
}

function matchAny(
  secrets: readonly string[],
  signatures: (Buffer | undefined)[],
  expected: (secret: string) => Buffer,
  where: string,
): VerificationResult {
  for (const secret of secrets) {
    const mac = expected(secret);
    if (signatures.some((signature) => signature !== undefined && sameBytes(mac, signature))) return verified;
  }
  return failed("bad-signature", `header ${where} matches no current secret`);
}
