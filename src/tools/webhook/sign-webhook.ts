import { createHmac } from "node:crypto";
import type { HMACSignature, WebhookVerification } from "../../api/types.js";
import { signedContent } from "../../runtime/inbound/verification/hmac-scheme.js";

export interface UnsignedWebhook {
  method: string;
  /** The URL the receiver sees, for schemes that sign it (twilio). */
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
  deliveryId: string;
}

/**
 * The headers a vendor adds to sign a delivery, by the connector's verification scheme: what the
 * runtime checks, computed the way the vendor computes it (its tests sign with this and verify with
 * the runtime's code). Standard Webhooks v1a needs the vendor's private key and is refused.
 */
export function signWebhook(
  verification: WebhookVerification,
  secret: string,
  request: UnsignedWebhook,
  now: Date,
): Record<string, string> {
  const seconds = String(Math.floor(now.getTime() / 1000));
  const mac = (algorithm: string, key: string | Buffer, ...parts: (string | Buffer)[]) => {
    const h = createHmac(algorithm, key);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  switch (verification.scheme) {
    case "none":
      return {};
    case "hmac": {
      if (!verification.hmac) throw new Error("the connector's hmac scheme has no parameters");
      return signHmac(verification.hmac, secret, request, seconds);
    }
    case "github":
      return { "x-hub-signature-256": `sha256=${mac("sha256", secret, request.body).toString("hex")}` };
    case "slack":
      return {
        "x-slack-request-timestamp": seconds,
        "x-slack-signature": `v0=${mac("sha256", secret, `v0:${seconds}:`, request.body).toString("hex")}`,
      };
    case "stripe":
      return {
        "stripe-signature": `t=${seconds},v1=${mac("sha256", secret, `${seconds}.`, request.body).toString("hex")}`,
      };
    case "pagerduty":
      return { "x-pagerduty-signature": `v1=${mac("sha256", secret, request.body).toString("hex")}` };
    case "standard-webhooks": {
      if (!secret.startsWith("whsec_"))
        throw new Error(
          "Standard Webhooks: only v1 (HMAC, a whsec_ secret) can be signed here; v1a needs the sender's private key",
        );
      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const signature = mac("sha256", key, `${request.deliveryId}.${seconds}.`, request.body).toString(
        "base64",
      );
      return {
        "webhook-id": request.deliveryId,
        "webhook-timestamp": seconds,
        "webhook-signature": `v1,${signature}`,
      };
    }
    case "twilio": {
      let content = request.url;
      if ((request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
        content += [...new URLSearchParams(request.body.toString("utf8"))]
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([name, value]) => name + value)
          .join("");
      return { "x-twilio-signature": mac("sha1", secret, content).toString("base64") };
    }
    case "token": {
      const settings = verification.token;
      if (!settings) throw new Error("the connector's token scheme has no parameters");
      if (settings.in === "query")
        throw new Error("a token in the query string is added to the URL, not signed");
      return { [settings.name.toLowerCase()]: `${settings.prefix ?? ""}${secret}` };
    }
    case "basic":
      return { authorization: `Basic ${Buffer.from(secret).toString("base64")}` };
  }
}

/** For the `token` scheme in the query string: the URL carrying the token. */
export function withQueryToken(verification: WebhookVerification, secret: string, url: string): string {
  if (verification.scheme !== "token" || verification.token?.in !== "query") return url;
  const next = new URL(url);
  next.searchParams.set(verification.token.name, `${verification.token.prefix ?? ""}${secret}`);
  return next.toString();
}

function signHmac(
  settings: HMACSignature,
  secret: string,
  request: UnsignedWebhook,
  seconds: string,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (settings.timestampHeader) headers[settings.timestampHeader.toLowerCase()] = seconds;
  const content = signedContent(
    settings.signedContent ?? "{body}",
    {
      method: request.method,
      url: request.url,
      headers: { ...request.headers, ...headers },
      rawBody: request.body,
    },
    { timestamp: seconds, id: request.deliveryId },
  );
  const digest = createHmac(settings.algorithm ?? "sha256", secret)
    .update(content)
    .digest();
  headers[settings.header.toLowerCase()] =
    `${settings.prefix ?? ""}${digest.toString(settings.encoding === "base64" ? "base64" : "hex")}`;
  return headers;
}
