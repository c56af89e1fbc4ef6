import { describe, expect, it } from "vitest";
import { signedHandshake, unsignedHandshake } from "./handshake.js";

const url = (query = "") => new URL(`https://hooks.example.com/webhook${query}`);

describe("vendor handshakes", () => {
  it("Microsoft Graph: echoes validationToken as text, before any verification", () => {
    expect(
      unsignedHandshake(
        { type: "msgraph-validation-token" },
        "POST",
        url("?validationToken=Validation%3A%20Testing"),
        {},
      ),
    ).toEqual({ status: 200, contentType: "text/plain", body: "Validation: Testing" });
    expect(unsignedHandshake({ type: "msgraph-validation-token" }, "POST", url(), {})).toBeUndefined();
  });

  it("Okta: answers the one-time verification GET with the challenge as JSON", () => {
    expect(
      unsignedHandshake({ type: "okta-verification-challenge" }, "GET", url(), {
        "x-okta-verification-challenge": "2b5d1b4c",
      }),
    ).toEqual({ status: 200, contentType: "application/json", body: '{"verification":"2b5d1b4c"}' });
    expect(unsignedHandshake({ type: "okta-verification-challenge" }, "POST", url(), {})).toBeUndefined();
  });

  it("Slack: answers url_verification with the challenge, once the request is verified", () => {
    const body = {
      token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    };
    expect(signedHandshake({ type: "slack-url-verification" }, url(), {}, body)).toEqual({
      status: 200,
      contentType: "application/json",
      body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
    });
    expect(
      signedHandshake({ type: "slack-url-verification" }, url(), {}, { type: "event_callback" }),
    ).toBeUndefined();
  });

  it("a generic echo: from a query parameter, a header or the body, as text or in a JSON field", () => {
    expect(
      unsignedHandshake(
        { type: "echo", echo: { queryParameter: "challenge" } },
        "GET",
        url("?challenge=abc"),
        {},
      ),
    ).toEqual({ status: 200, contentType: "text/plain", body: "abc" });
    expect(
      signedHandshake(
        { type: "echo", echo: { header: "X-Hook-Secret" } },
        url(),
        { "x-hook-secret": "s3" },
        {},
      ),
    ).toEqual({ status: 200, contentType: "text/plain", body: "s3" });
    expect(
      signedHandshake(
        { type: "echo", echo: { jsonPath: "data.challenge", responseField: "response" } },
        url(),
        {},
        {
          data: { challenge: "c1" },
        },
      ),
    ).toEqual({ status: 200, contentType: "application/json", body: '{"response":"c1"}' });
  });
});
