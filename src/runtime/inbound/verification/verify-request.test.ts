import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { WebhookVerification } from "../../../api/types.js";
import type { InboundRequest } from "./inbound-request.js";
import { verifyRequest } from "./verify-request.js";

const request = (
  headers: Record<string, string>,
  body: string | Buffer,
  url = "https://hooks.example.com/webhook",
): InboundRequest => ({
  method: "POST",
  url,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
});
const at = (seconds: number) => new Date(seconds * 1000);
const hex = (key: string | Buffer, content: string) =>
  createHmac("sha256", key).update(content).digest("hex");

describe("webhook verification, against vendors' published examples", () => {
  it("GitHub's documented example (docs.github.com, Validating webhook deliveries)", () => {
    const github: WebhookVerification = { scheme: "github" };
    const signed = request(
      { "X-Hub-Signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
      "Hello, World!",
    );
    expect(verifyRequest(github, ["It's a Secret to Everybody"], signed, new Date())).toEqual({ ok: true });
    expect(verifyRequest(github, ["rotated-in", "It's a Secret to Everybody"], signed, new Date()).ok).toBe(
      true,
    );
    expect(verifyRequest(github, ["another secret"], signed, new Date())).toEqual({
      ok: false,
      reason: "bad-signature",
      message: "header X-Hub-Signature-256 does not match the body signed with any current secret",
    });
    expect(verifyRequest(github, ["s"], request({}, "Hello, World!"), new Date())).toMatchObject({
      reason: "missing-signature",
      message: "header X-Hub-Signature-256 is missing",
    });
    expect(
      verifyRequest(github, ["s"], request({ "X-Hub-Signature-256": "sha1=abc" }, "x"), new Date()),
    ).toMatchObject({ reason: "malformed-signature" });
  });

  it("Slack's documented example (api.slack.com, Verifying requests from Slack)", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const signed = request(
      {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      },
      body,
    );
    const slack: WebhookVerification = { scheme: "slack" };
    expect(verifyRequest(slack, ["8f742231b10e8888abcd99yyyzzz85a5"], signed, at(1531420618 + 60)).ok).toBe(
      true,
    );
    expect(verifyRequest(slack, ["8f742231b10e8888abcd99yyyzzz85a5"], signed, at(1531420618 + 301))).toEqual({
      ok: false,
      reason: "stale-timestamp",
      message: "header X-Slack-Request-Timestamp is 301 s old; tolerance is 300 s",
    });
    expect(
      verifyRequest(slack, ["8f742231b10e8888abcd99yyyzzz85a5"], signed, at(1531420618 - 400)),
    ).toMatchObject({
      reason: "stale-timestamp",
      message: "header X-Slack-Request-Timestamp is 400 s in the future; tolerance is 300 s",
    });
  });

  it("Standard Webhooks' test vector (standard-webhooks libraries' tests), v1 and v1a, several signatures", () => {
    const scheme: WebhookVerification = { scheme: "standard-webhooks" };
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const headers = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const body = '{"test": 2432232314}';
    expect(verifyRequest(scheme, [secret], request(headers, body), at(1614265330)).ok).toBe(true);
    const rotated = {
      ...headers,
      "webhook-signature": `v1,Zm9vYmFy v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=`,
    };
    expect(verifyRequest(scheme, [secret], request(rotated, body), at(1614265330)).ok).toBe(true);
    expect(verifyRequest(scheme, [secret], request(headers, '{"test": 1}'), at(1614265330)).ok).toBe(false);

    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const raw = Buffer.from((publicKey.export({ format: "jwk" }) as { x: string }).x, "base64url");
    const content = `msg_1.1614265330.${body}`;
    const v1a = sign(null, Buffer.from(content), privateKey).toString("base64");
    const asymmetric = {
      "webhook-id": "msg_1",
      "webhook-timestamp": "1614265330",
      "webhook-signature": `v1a,${v1a}`,
    };
    expect(
      verifyRequest(scheme, [`whpk_${raw.toString("base64")}`], request(asymmetric, body), at(1614265330)).ok,
    ).toBe(true);
    expect(verifyRequest(scheme, [secret], request(asymmetric, body), at(1614265330)).ok).toBe(false);
  });

  it("Twilio's documented example (twilio.com/docs/usage/security), form parameters sorted after the URL", () => {
    const body =
      "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212";
    const signed = request(
      {
        "X-Twilio-Signature": "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
      "https://mycompany.com/myapp.php?foo=1&bar=2",
    );
    expect(verifyRequest({ scheme: "twilio" }, ["12345"], signed, new Date()).ok).toBe(true);
    expect(verifyRequest({ scheme: "twilio" }, ["54321"], signed, new Date()).ok).toBe(false);
  });

  it("Stripe: t and several v1 signatures over `{t}.{body}`, within the tolerance", () => {
    const body = '{"id":"evt_1","type":"charge.succeeded"}';
    const signature = hex("whsec_stripe", `1700000000.${body}`);
    const header = { "Stripe-Signature": `t=1700000000,v1=${"0".repeat(64)},v1=${signature},v0=abc` };
    expect(
      verifyRequest({ scheme: "stripe" }, ["whsec_stripe"], request(header, body), at(1700000100)).ok,
    ).toBe(true);
    expect(
      verifyRequest({ scheme: "stripe" }, ["whsec_stripe"], request(header, body), at(1700000400)),
    ).toMatchObject({
      reason: "stale-timestamp",
    });
    expect(
      verifyRequest(
        { scheme: "stripe" },
        ["whsec_stripe"],
        request({ "Stripe-Signature": "v1=abc" }, body),
        at(1700000000),
      ),
    ).toMatchObject({ reason: "malformed-signature" });
  });

  it("PagerDuty v3: any of several v1 signatures", () => {
    const body = '{"event":{"event_type":"incident.triggered"}}';
    const signed = request(
      { "X-PagerDuty-Signature": `v1=${"1".repeat(64)},v1=${hex("pd-secret", body)}` },
      body,
    );
    expect(verifyRequest({ scheme: "pagerduty" }, ["pd-secret"], signed, new Date()).ok).toBe(true);
    expect(verifyRequest({ scheme: "pagerduty" }, ["other"], signed, new Date()).ok).toBe(false);
  });

  it("generic HMAC: template over timestamp, id and body; base64; sha512; a timestamp header", () => {
    const scheme: WebhookVerification = {
      scheme: "hmac",
      hmac: {
        header: "X-Signature",
        algorithm: "sha512",
        encoding: "base64",
        signedContent: "{timestamp}.{id}.{body}",
        timestampHeader: "X-Timestamp",
      },
    };
    const body = '{"a":1}';
    const signature = createHmac("sha512", "k").update(`1700000000.d-1.${body}`).digest("base64");
    const signed = request({ "X-Signature": signature, "X-Timestamp": "1700000000" }, body);
    expect(verifyRequest(scheme, ["k"], signed, at(1700000000), { deliveryId: "d-1" }).ok).toBe(true);
    expect(verifyRequest(scheme, ["k"], signed, at(1700000000), { deliveryId: "d-2" }).ok).toBe(false);
    expect(
      verifyRequest(scheme, ["k"], request({ "X-Signature": signature }, body), at(1700000000)),
    ).toMatchObject({
      reason: "missing-signature",
      message: "header X-Timestamp is missing",
    });
  });

  it("shared tokens and basic auth compare against every current secret", () => {
    const token: WebhookVerification = {
      scheme: "token",
      token: { name: "Authorization", prefix: "Bearer " },
    };
    expect(
      verifyRequest(token, ["old", "new"], request({ Authorization: "Bearer new" }, ""), new Date()).ok,
    ).toBe(true);
    expect(
      verifyRequest(token, ["old"], request({ Authorization: "Bearer new" }, ""), new Date()),
    ).toMatchObject({
      reason: "bad-signature",
      message: "header Authorization matches no current token",
    });
    const query: WebhookVerification = { scheme: "token", token: { in: "query", name: "token" } };
    expect(verifyRequest(query, ["t"], request({}, "", "https://h/webhook?token=t"), new Date()).ok).toBe(
      true,
    );
    const basic: WebhookVerification = { scheme: "basic" };
    const auth = `Basic ${Buffer.from("vendor:pa55").toString("base64")}`;
    expect(verifyRequest(basic, ["vendor:pa55"], request({ Authorization: auth }, ""), new Date()).ok).toBe(
      true,
    );
    expect(verifyRequest(basic, ["vendor:other"], request({ Authorization: auth }, ""), new Date()).ok).toBe(
      false,
    );
  });

  it("`none` accepts anything; any other scheme without a secret refuses, saying what to set", () => {
    expect(verifyRequest({ scheme: "none" }, [], request({}, "x"), new Date()).ok).toBe(true);
    expect(verifyRequest({ scheme: "github" }, [], request({}, "x"), new Date())).toEqual({
      ok: false,
      reason: "unauthorized",
      message: "no verification secret is configured: set spec.webhook.secretRef on the Integration",
    });
  });

  it("never puts a secret or an expected signature in a message", () => {
    const secret = "super-secret-value";
    const body = "payload";
    const expected = hex(secret, body);
    const schemes: WebhookVerification[] = [
      { scheme: "github" },
      { scheme: "pagerduty" },
      { scheme: "stripe" },
      { scheme: "token", token: { name: "X-Token" } },
      { scheme: "hmac", hmac: { header: "X-Sig" } },
    ];
    for (const scheme of schemes) {
      const result = verifyRequest(
        scheme,
        [secret],
        request({ "X-Hub-Signature-256": "sha256=00", "X-Token": "wrong", "X-Sig": "00" }, body),
        new Date(),
      );
      expect(result.ok).toBe(false);
      const text = JSON.stringify(result);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(expected);
      expect(text).not.toContain(body);
    }
  });
});
