import type { WebhookHandshake } from "../../api/types.js";
import { valueAt } from "./json-path.js";

export interface HandshakeAnswer {
  status: number;
  contentType: string;
  body: string;
}

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Handshakes a vendor performs before signing anything, answered before verification: Microsoft
 * Graph's `validationToken` (echoed as text within 10 s), Okta's one-time verification challenge
 * (a GET with `X-Okta-Verification-Challenge`), and a configured echo arriving as a GET.
 */
export function unsignedHandshake(
  handshake: WebhookHandshake | undefined,
  method: string,
  url: URL,
  headers: Headers,
): HandshakeAnswer | undefined {
  if (!handshake) return undefined;
  if (handshake.type === "msgraph-validation-token") {
    const token = url.searchParams.get("validationToken");
    if (token !== null) return { status: 200, contentType: "text/plain", body: token };
  }
  if (handshake.type === "echo" && method === "GET")
    return signedHandshake(handshake, url, headers, undefined);
  if (handshake.type === "okta-verification-challenge" && method === "GET") {
    const challenge = first(headers["x-okta-verification-challenge"]);
    if (challenge)
      return {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ verification: challenge }),
      };
  }
  return undefined;
}

/**
 * Handshakes that arrive signed like any delivery, answered after verification: Slack's
 * `url_verification` and a configured challenge echo.
 */
export function signedHandshake(
  handshake: WebhookHandshake | undefined,
  url: URL,
  headers: Headers,
  body: unknown,
): HandshakeAnswer | undefined {
  if (!handshake) return undefined;
  if (handshake.type === "slack-url-verification") {
    if (valueAt(body, "type") === "url_verification" && typeof valueAt(body, "challenge") === "string")
      return {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ challenge: valueAt(body, "challenge") }),
      };
    return undefined;
  }
  if (handshake.type === "echo" && handshake.echo) {
    const echo = handshake.echo;
    const challenge = echo.queryParameter
      ? url.searchParams.get(echo.queryParameter)
      : echo.header
        ? first(headers[echo.header.toLowerCase()])
        : echo.jsonPath
          ? valueAt(body, echo.jsonPath)
          : undefined;
    if (typeof challenge !== "string" || challenge === "") return undefined;
    return echo.responseField
      ? {
          status: 200,
          contentType: "application/json",
          body: JSON.stringify({ [echo.responseField]: challenge }),
        }
      : { status: 200, contentType: "text/plain", body: challenge };
  }
  return undefined;
}
