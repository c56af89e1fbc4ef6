import { createHmac } from "node:crypto";

/**
 * Headers of a Standard Webhooks delivery (https://www.standardwebhooks.com/): `webhook-id`,
 * `webhook-timestamp` and a v1 HMAC-SHA256 signature over `{id}.{timestamp}.{body}`, keyed with the
 * base64 part of a `whsec_` secret.
 */
export function standardWebhooksHeaders(
  secret: string,
  id: string,
  body: string,
  now: Date,
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` };
}
