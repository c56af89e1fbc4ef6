import {
  handshakeTypes,
  hmacAlgorithms,
  signatureEncodings,
  verificationSchemes,
  webhookContentTypes,
} from "./enumerations.js";
import type { Schema } from "./schema-builders.js";
import {
  enumeration,
  freeform,
  headerName,
  integer,
  jsonPath,
  keyedList,
  named,
  object,
  oneOfFields,
  rule,
  string,
} from "./schema-builders.js";

/** HMAC parameters, shared by inbound verification and outbound request signing. */
export const hmacSignature: Schema = named(
  "HMACSignature",
  object(
    "An HMAC signature carried in a header.",
    {
      algorithm: enumeration("The hash.", hmacAlgorithms, { default: "sha256" }),
      header: headerName("The header carrying the signature, e.g. `X-Signature`."),
      prefix: string("Text before the signature in the header, e.g. `sha256=`.", { maxLength: 64 }),
      encoding: enumeration("How the signature is encoded.", signatureEncodings, { default: "hex" }),
      signedContent: string(
        "What is signed, as a template: `{body}`, `{timestamp}`, `{id}` (the delivery id), `{url}`, `{method}`, `{path}` and `{header.<Name>}` are replaced, e.g. `{timestamp}.{body}` or `v0:{timestamp}:{body}`.",
        { default: "{body}", minLength: 1, maxLength: 256 },
      ),
      timestampHeader: headerName("The header carrying the signing time (Unix seconds), when there is one."),
    },
    ["header"],
  ),
);

const tokenParameters = named(
  "TokenVerification",
  object(
    "Where the shared token of the `token` scheme is sent.",
    {
      in: enumeration("A header or a query parameter.", ["header", "query"], { default: "header" }),
      name: string("The header or query parameter name, e.g. `X-Gitlab-Token`.", {
        minLength: 1,
        maxLength: 128,
      }),
      prefix: string("Text before the token, e.g. `Bearer `.", { maxLength: 64 }),
    },
    ["name"],
  ),
);

const verification = named(
  "WebhookVerification",
  object(
    "How inbound requests prove they come from the vendor. The secrets themselves are named by each Integration (`spec.webhook.secretRef`), several at once during rotation.",
    {
      scheme: enumeration(
        "The scheme: `hmac` (parameterized below), `standard-webhooks` (v1 HMAC and v1a ed25519), `stripe` (`Stripe-Signature`), `slack` (v0), `github` (`X-Hub-Signature-256`), `twilio` (HMAC-SHA1 over URL and parameters), `pagerduty` (v3), `token` (a shared token), `basic` (HTTP basic auth) or `none`, which policies can forbid.",
        verificationSchemes,
      ),
      hmac: hmacSignature,
      token: tokenParameters,
      toleranceSeconds: integer(
        "How far a signed timestamp may be from the receiver's clock, for schemes that sign one.",
        { default: 300, minimum: 1, maximum: 86400 },
      ),
    },
    ["scheme"],
    {
      "x-kubernetes-validations": [
        rule("self.scheme != 'hmac' || has(self.hmac)", "the hmac scheme needs hmac.header", {
          fieldPath: ".hmac",
        }),
        rule("!has(self.hmac) || self.scheme == 'hmac'", "hmac parameters apply to the hmac scheme only", {
          fieldPath: ".hmac",
        }),
        rule("self.scheme != 'token' || has(self.token)", "the token scheme needs token.name", {
          fieldPath: ".token",
        }),
        rule(
          "!has(self.token) || self.scheme == 'token'",
          "token parameters apply to the token scheme only",
          {
            fieldPath: ".token",
          },
        ),
      ],
    },
  ),
);

const echo = object(
  "For `echo`: where the challenge arrives and how it is sent back. A request carrying it is answered at once and not treated as an event.",
  {
    queryParameter: string("A query parameter holding the challenge, e.g. `challenge`.", { maxLength: 128 }),
    header: headerName("A header holding the challenge."),
    jsonPath: jsonPath("A path in the JSON body holding the challenge, e.g. `challenge`."),
    responseField: string(
      "Answer with a JSON object holding the challenge under this field; as plain text when unset.",
      { maxLength: 128 },
    ),
  },
  [],
  {
    "x-kubernetes-validations": [
      oneOfFields(
        ["queryParameter", "header", "jsonPath"],
        "echo needs one of queryParameter, header, jsonPath",
      ),
    ],
  },
);

const handshake = named(
  "WebhookHandshake",
  object(
    "A subscription handshake the vendor performs before it sends events.",
    {
      type: enumeration(
        "`slack-url-verification` (Slack Events API `url_verification`), `msgraph-validation-token` (Microsoft Graph `validationToken`), `okta-verification-challenge` (Okta event hooks) or `echo` (a challenge sent back as configured below).",
        handshakeTypes,
      ),
      echo,
    },
    ["type"],
    {
      "x-kubernetes-validations": [
        rule("(self.type == 'echo') == has(self.echo)", "echo parameters are set exactly when type is echo", {
          fieldPath: ".echo",
        }),
      ],
    },
  ),
);

/** A value found in a delivery: in a header or at a path in the JSON body. */
function valueSource(description: string, extra: Record<string, Schema> = {}): Schema {
  return object(
    description,
    {
      header: headerName("A request header holding the value."),
      jsonPath: jsonPath("A path in the JSON body, e.g. `type` or `event.type`."),
      ...extra,
    },
    [],
    { "x-kubernetes-validations": [oneOfFields(["header", "jsonPath"], "set one of header or jsonPath")] },
  );
}

export const connectorWebhook: Schema = named(
  "ConnectorWebhook",
  object(
    "Inbound webhooks: how they are verified, the handshake, and how events are found in a delivery.",
    {
      verification,
      handshake,
      contentType: enumeration("The body encoding the vendor sends.", webhookContentTypes, {
        default: "json",
      }),
      eventsJsonPath: jsonPath(
        "For deliveries that carry several events (`value` for Microsoft Graph, `data.events` for Okta event hooks): the array of events. Each element is then one event.",
      ),
      eventType: named(
        "EventTypeSource",
        valueSource(
          "Where an event's type is found, e.g. the `X-GitHub-Event` header or `type` in the body.",
          {
            subtypeJsonPath: jsonPath(
              "A path whose value is appended after a dot, e.g. GitHub's `action`: `issues` and `opened` make `issues.opened`.",
            ),
          },
        ),
      ),
      deliveryId: valueSource(
        "Where the sender's unique delivery id is found; duplicates and replays within the Integration's replay window are dropped.",
      ),
    },
    ["verification"],
  ),
);

export const eventDefinition: Schema = named(
  "EventDefinition",
  object(
    "An event the connector receives.",
    {
      type: string("The event type as the connector names it, e.g. `issues.opened`.", {
        minLength: 1,
        maxLength: 256,
      }),
      description: string("What the event means.", { maxLength: 1024 }),
      schema: freeform("A JSON Schema the payload must match; a delivery that does not is answered 400."),
      sample: freeform("A sample payload from the vendor's documentation, for tests and documentation."),
    },
    ["type"],
  ),
);

export const events: Schema = keyedList("The events the connector receives.", eventDefinition, ["type"], {
  maxItems: 512,
});
