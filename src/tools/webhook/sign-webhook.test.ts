import { describe, expect, it } from "vitest";
import type { WebhookVerification } from "../../api/types.js";
import { verifyRequest } from "../../runtime/inbound/verification/verify-request.js";
import type { UnsignedWebhook } from "./sign-webhook.js";
import { signWebhook, withQueryToken } from "./sign-webhook.js";

const now = new Date("2026-12-01T12:00:00Z");
const json = (body: string): UnsignedWebhook => ({
  method: "POST",
  url: "https://hooks.example.com/webhook?x=1",
  headers: { "content-type": "application/json" },
  body: Buffer.from(body),
  deliveryId: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
});

const schemes: [string, WebhookVerification, string][] = [
  [
    "generic HMAC over a template, base64",
    {
      scheme: "hmac",
      hmac: {
        algorithm: "sha512",
        header: "X-Sig",
        prefix: "v1=",
        encoding: "base64",
        signedContent: "{timestamp}.{method}.{body}",
        timestampHeader: "X-Ts",
      },
    },
    "hmac-secret",
  ],
  ["GitHub", { scheme: "github" }, "It's a Secret to Everybody"],
  ["Slack", { scheme: "slack" }, "8f742231b10e8888abcd99yyyzzz85a5"],
  ["Stripe", { scheme: "stripe" }, "whsec_stripe_test"],
  ["PagerDuty", { scheme: "pagerduty" }, "pd-secret"],
  ["Standard Webhooks", { scheme: "standard-webhooks" }, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
  ["Twilio", { scheme: "twilio" }, "12345"],
  [
    "a shared token header",
    { scheme: "token", token: { in: "header", name: "X-Token", prefix: "Bearer " } },
    "t0k3n",
  ],
  ["basic auth", { scheme: "basic" }, "vendor:s3cret"],
];

describe("signing deliveries as vendors do, checked by the runtime's verification", () => {
  for (const [name, verification, secret] of schemes) {
    it(`${name}: verified with the secret, refused with another`, () => {
      const request = json('{"type":"ping","n":1}');
      const signed = {
        ...request,
        headers: { ...request.headers, ...signWebhook(verification, secret, request, now) },
      };
      const inbound = { ...signed, rawBody: signed.body };
      expect(verifyRequest(verification, [secret], inbound, now, { deliveryId: request.deliveryId })).toEqual(
        { ok: true },
      );
      const forged = {
        ...request,
        headers: { ...request.headers, ...signWebhook(verification, `${secret}-not`, request, now) },
      };
      expect(
        verifyRequest(verification, [secret], { ...forged, rawBody: forged.body }, now, {
          deliveryId: request.deliveryId,
        }),
      ).toMatchObject({ ok: false, reason: "bad-signature" });
    });
  }

  it("Twilio form posts sign the sorted parameters too", () => {
    const request: UnsignedWebhook = {
      ...json(""),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: Buffer.from("To=%2B15551234567&Body=hello&From=%2B15557654321"),
    };
    const headers = { ...request.headers, ...signWebhook({ scheme: "twilio" }, "12345", request, now) };
    expect(
      verifyRequest({ scheme: "twilio" }, ["12345"], { ...request, headers, rawBody: request.body }, now),
    ).toEqual({
      ok: true,
    });
  });

  it("a token in the query string goes into the URL", () => {
    const verification: WebhookVerification = {
      scheme: "token",
      token: { in: "query", name: "validationToken" },
    };
    const url = withQueryToken(verification, "abc", "http://127.0.0.1:8080/webhook");
    expect(
      verifyRequest(verification, ["abc"], { ...json("{}"), url, rawBody: Buffer.from("{}") }, now),
    ).toEqual({ ok: true });
  });

  it("refuses what it cannot sign, saying why", () => {
    expect(() => signWebhook({ scheme: "standard-webhooks" }, "whpk_abc", json("{}"), now)).toThrow(
      /v1a needs the sender's private key/,
    );
    expect(() => signWebhook({ scheme: "hmac" }, "s", json("{}"), now)).toThrow(/no parameters/);
  });
});
