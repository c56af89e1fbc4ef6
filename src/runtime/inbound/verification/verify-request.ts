import type { WebhookVerification } from "../../../api/types.js";
import { sameBytes } from "./constant-time.js";
import { verifyHmac } from "./hmac-scheme.js";
import type { InboundRequest, VerificationResult } from "./inbound-request.js";
import { failed, header, verified } from "./inbound-request.js";
import {
  verifyGithub,
  verifyPagerDuty,
  verifySlack,
  verifyStandardWebhooks,
  verifyStripe,
  verifyTwilio,
} from "./vendor-schemes.js";

export type { InboundRequest, VerificationFailure, VerificationResult } from "./inbound-request.js";

/**
 * Whether a delivery comes from the vendor, by the connector's scheme, against every current secret
 * (several during rotation). Comparisons are constant-time; messages say what is wrong and where, and
 * never hold a secret, an expected signature or the body.
 */
export function verifyRequest(
  verification: WebhookVerification,
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
  context: { deliveryId?: string } = {},
): VerificationResult {
  if (verification.scheme === "none") return verified;
  if (secrets.length === 0)
    return failed(
      "unauthorized",
      "no verification secret is configured: set spec.webhook.secretRef on the Integration",
    );
  const tolerance = verification.toleranceSeconds ?? 300;
  switch (verification.scheme) {
    case "hmac":
      if (!verification.hmac) return failed("unauthorized", "the connector's hmac scheme has no parameters");
      return verifyHmac(verification.hmac, secrets, request, now, tolerance, context);
    case "github":
      return verifyGithub(secrets, request, now);
    case "slack":
      return verifySlack(secrets, request, now, tolerance);
    case "stripe":
      return verifyStripe(secrets, request, now, tolerance);
    case "pagerduty":
      return verifyPagerDuty(secrets, request);
    case "standard-webhooks":
      return verifyStandardWebhooks(secrets, request, now, tolerance);
    case "twilio":
      return verifyTwilio(secrets, request);
    case "token":
      return verifyToken(verification, secrets, request);
    case "basic":
      return verifyBasic(secrets, request);
  }
}

function verifyToken(
  verification: WebhookVerification,
  secrets: readonly string[],
  request: InboundRequest,
): VerificationResult {
  const settings = verification.token;
  if (!settings) return failed("unauthorized", "the connector's token scheme has no parameters");
  const where = settings.in === "query" ? `query parameter ${settings.name}` : `header ${settings.name}`;
  const raw =
    settings.in === "query"
      ? (new URL(request.url).searchParams.get(settings.name) ?? undefined)
      : header(request, settings.name);
  if (raw === undefined) return failed("missing-signature", `${where} is missing`);
  const prefix = settings.prefix ?? "";
  if (!raw.startsWith(prefix))
    return failed("malformed-signature", `${where} does not start with "${prefix}"`);
  const token = Buffer.from(raw.slice(prefix.length));
  return secrets.some((secret) => sameBytes(Buffer.from(secret), token))
    ? verified
    : failed("bad-signature", `${where} matches no current token`);
}

function verifyBasic(secrets: readonly string[], request: InboundRequest): VerificationResult {
  const raw = header(request, "authorization");
  if (raw === undefined) return failed("missing-signature", "header Authorization is missing");
  const encoded = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(raw)?.[1];
  if (!encoded) return failed("malformed-signature", "header Authorization is not HTTP basic auth");
  const given = Buffer.from(encoded, "base64");
  return secrets.some((secret) => sameBytes(Buffer.from(secret), given))
    ? verified
    : failed("bad-signature", "header Authorization matches no current user and password");
}
