import { conditions, observedGeneration } from "./common.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  boolean,
  enumeration,
  freeform,
  integer,
  keyedList,
  number,
  object,
  rule,
  semver,
  string,
} from "./schema-builders.js";

export const credentialTypes = [
  "oauth2-client-credentials",
  "oauth2-refresh-token",
  "api-key",
  "bearer",
  "basic",
  "hmac",
  "aws-sigv4",
  "google-service-account",
];

export const verificationSchemes = [
  "hmac",
  "standard-webhooks",
  "stripe",
  "slack",
  "github",
  "twilio",
  "pagerduty",
  "token",
  "basic",
  "none",
];

export const connectorCategories = ["security", "cloud", "itops", "custom"];
export const maturities = ["experimental", "beta", "stable", "deprecated"];

const authScheme = object(
  "One way the vendor's API accepts credentials. A Credential of the same type satisfies it.",
  {
    name: string("Name of the scheme, referenced by actions that need a specific one.", {
      pattern: "^[a-z][a-z0-9-]*$",
      maxLength: 63,
    }),
    type: enumeration("The credential type this scheme takes.", credentialTypes),
    tokenURL: string("OAuth 2.0 token endpoint (a template over `config`), for the oauth2 types.", {
      maxLength: 2048,
    }),
    scopes: array("OAuth 2.0 scopes the connector's actions need.", string("A scope.", { maxLength: 256 }), {
      maxItems: 64,
    }),
    audience: string("Audience for token requests or JWT assertions, where the vendor asks for one.", {
      maxLength: 2048,
    }),
    apiKey: object("Where an api-key credential goes in the request.", {
      in: enumeration("Header or query parameter.", ["header", "query"], { default: "header" }),
      name: string("The header or query parameter name.", { maxLength: 128 }),
      prefix: string("Text before the key, e.g. `Bearer ` or `SSWS `.", { maxLength: 64 }),
    }),
    aws: object("AWS Signature Version 4 parameters.", {
      service: string("The signing service name, e.g. `securityhub`.", { maxLength: 64 }),
      region: string("The signing region, or a template over `config`.", { maxLength: 64 }),
    }),
  },
  ["name", "type"],
  {
    "x-kubernetes-validations": [
      rule("!self.type.startsWith('oauth2') || has(self.tokenURL)", "oauth2 schemes need a tokenURL"),
      rule("self.type != 'aws-sigv4' || has(self.aws)", "aws-sigv4 schemes need aws.service and aws.region"),
    ],
  },
);

const verification = object(
  "How inbound webhook requests prove they come from the vendor.",
  {
    scheme: enumeration(
      "The signature scheme. `none` is refused where a policy requires verification.",
      verificationSchemes,
    ),
    hmac: object("Parameters of the generic HMAC scheme.", {
      algorithm: enumeration("The HMAC hash.", ["sha1", "sha256", "sha512"], { default: "sha256" }),
      header: string("The header carrying the signature.", { maxLength: 128 }),
      prefix: string("Text before the signature in the header, e.g. `sha256=`.", { maxLength: 64 }),
      encoding: enumeration("How the signature is encoded.", ["hex", "base64"], { default: "hex" }),
      signedContent: string(
        "What is signed, as a template over `{body}`, `{timestamp}`, `{id}`, `{url}`: e.g. `{timestamp}.{body}`.",
        {
          default: "{body}",
          maxLength: 256,
        },
      ),
      timestampHeader: string("The header carrying the signing time, when the vendor sends one.", {
        maxLength: 128,
      }),
    }),
    tokenHeader: string("For the `token` scheme: the header carrying the shared token.", { maxLength: 128 }),
    toleranceSeconds: integer("How far a signed timestamp may be from now.", {
      default: 300,
      minimum: 1,
      maximum: 86400,
    }),
  },
  ["scheme"],
  {
    "x-kubernetes-validations": [
      rule(
        "self.scheme != 'hmac' || (has(self.hmac) && has(self.hmac.header))",
        "the hmac scheme needs hmac.header",
      ),
      rule("self.scheme != 'token' || has(self.tokenHeader)", "the token scheme needs tokenHeader"),
    ],
  },
);

const webhook = object("Inbound webhooks: verification, handshakes, how events are identified.", {
  verification,
  handshake: enumeration(
    "A subscription handshake the vendor performs before sending events.",
    ["none", "slack-url-verification", "msgraph-validation-token", "okta-verification-challenge", "echo"],
    { default: "none" },
  ),
  eventType: object(
    "Where the event type is found in a delivery.",
    {
      header: string("A request header holding the event type, e.g. `X-GitHub-Event`.", { maxLength: 128 }),
      jsonPath: string("A JSONata path into the body, e.g. `type` or `event.type`.", { maxLength: 256 }),
    },
    [],
    {
      "x-kubernetes-validations": [
        rule("has(self.header) || has(self.jsonPath)", "eventType needs a header or a jsonPath"),
      ],
    },
  ),
  deliveryIdHeader: string(
    "A header with the sender's unique delivery id, used to drop duplicates and replays.",
    { maxLength: 128 },
  ),
  contentType: enumeration("The body encoding the vendor sends.", ["json", "form"], { default: "json" }),
});

const eventType = object(
  "An event the connector receives.",
  {
    type: string("The event type as the vendor names it, e.g. `issues.opened`.", { maxLength: 256 }),
    description: string("What the event means.", { maxLength: 1024 }),
    schema: freeform("A JSON Schema the payload is validated against; a failing payload is answered 400."),
    sample: freeform("A sample payload from the vendor's documentation, used by `switchboard flow test`."),
  },
  ["type"],
);

const action = object(
  "An operation on the vendor's API that flows and the action API can run.",
  {
    name: string("The action's name, unique within the connector.", {
      pattern: "^[a-z][a-zA-Z0-9-]*$",
      maxLength: 63,
    }),
    description: string("What the action does.", { maxLength: 1024 }),
    method: enumeration("The HTTP method.", ["GET", "POST", "PUT", "PATCH", "DELETE"]),
    path: string(
      "The path below baseURL, a template over `input` and `config`: `/repos/{input.owner}/{input.repo}/issues`.",
      {
        maxLength: 1024,
      },
    ),
    query: freeform("Query parameters as templates over `input` and `config`."),
    body: string(
      "A JSONata expression over `input` and `config` that builds the request body; the input itself when absent.",
      {
        maxLength: 8192,
      },
    ),
    inputSchema: freeform("A JSON Schema for the action's input."),
    output: string("A JSONata expression mapping the vendor's response to the action's output.", {
      maxLength: 8192,
    }),
    authScheme: string("The auth scheme the action uses; the first one when absent.", { maxLength: 63 }),
    idempotencyKeyHeader: string("A header the vendor reads idempotency keys from, e.g. `Idempotency-Key`.", {
      maxLength: 128,
    }),
  },
  ["name", "method", "path"],
);

const rateLimits = object(
  "The vendor's documented limits, enforced per Integration unless it sets its own.",
  {
    requestsPerSecond: number("Sustained requests per second.", { minimum: 0 }),
    burst: integer("Requests allowed at once above the sustained rate.", { minimum: 1 }),
    concurrency: integer("Requests in flight at once.", { minimum: 1 }),
    documentation: string("Where the vendor documents its limits.", { maxLength: 2048 }),
  },
);

/**
 * The connector definition: one schema for catalog files (`connectors/<category>/<id>.yaml`),
 * ClusterConnectors and Connectors.
 */
export const connectorSpec: Schema = object(
  "A third-party system: how to authenticate to it, its API, the webhooks it sends and the actions it offers.",
  {
    displayName: string("The name people know the system by, e.g. `GitHub`.", { maxLength: 128 }),
    vendor: string("The company or project behind the system.", { maxLength: 128 }),
    description: string("What the connector does.", { maxLength: 4096 }),
    category: enumeration("The catalog category.", connectorCategories),
    version: string("The connector's version (Semantic Versioning). Integrations select it with a range.", {
      pattern: semver,
      maxLength: 64,
    }),
    maturity: enumeration(
      "How far the connector can be trusted; policies can require a minimum.",
      maturities,
      { default: "experimental" },
    ),
    deprecation: object("Set when the connector version is deprecated.", {
      message: string("What users should do instead.", { maxLength: 1024 }),
      replacedBy: string("The connector or version that replaces this one.", { maxLength: 253 }),
    }),
    documentation: array(
      "Links to the vendor documentation the definition was written from.",
      object(
        "A documentation link.",
        {
          title: string("What the page covers.", { maxLength: 256 }),
          url: string("The page.", { maxLength: 2048 }),
        },
        ["url"],
      ),
      { maxItems: 32 },
    ),
    baseURL: string("The API base URL, a template over `config`: `https://{config.subdomain}.okta.com`.", {
      maxLength: 2048,
    }),
    egressHosts: array(
      "Hosts the connector may call (`*.example.com` allowed); every other host is refused.",
      string("A host name.", { maxLength: 253 }),
      {
        maxItems: 64,
        "x-kubernetes-list-type": "set",
      },
    ),
    configSchema: freeform("A JSON Schema for an Integration's `config`."),
    auth: keyedList("The auth schemes the vendor's API accepts.", authScheme, ["name"], { maxItems: 8 }),
    webhook,
    events: keyedList("The events the connector receives.", eventType, ["type"], { maxItems: 512 }),
    normalization: object("How events become normalized envelopes.", {
      cloudEvents: object("CloudEvents 1.0 attributes.", {
        source: string("The `source` attribute, a template over `config`.", { maxLength: 1024 }),
        typePrefix: string("Prepended to the event type for the `type` attribute, e.g. `com.github.`.", {
          maxLength: 256,
        }),
      }),
      ocsf: keyedList(
        "OCSF mappings for security findings and audit activity.",
        object(
          "One mapping.",
          {
            name: string("Name of the mapping.", { maxLength: 63 }),
            events: array("Event type globs the mapping applies to.", string("A glob.", { maxLength: 256 }), {
              maxItems: 64,
            }),
            classUid: integer("The OCSF class, e.g. 2001 (Security Finding) or 6003 (API Activity).", {
              minimum: 1,
            }),
            mapping: string("A JSONata expression producing the OCSF object.", { maxLength: 16384 }),
          },
          ["name", "events", "classUid", "mapping"],
        ),
        ["name"],
        { maxItems: 32 },
      ),
    }),
    actions: keyedList("The operations the connector offers.", action, ["name"], { maxItems: 256 }),
    healthCheck: object("How `switchboard connector test` and Credential checks test a connection.", {
      action: string("An action with no required input, e.g. `get-current-user`.", { maxLength: 63 }),
    }),
    rateLimits,
    suspend: boolean("Stops new Integrations from resolving to this connector.", { default: false }),
  },
  ["displayName", "category", "version"],
  {
    "x-kubernetes-validations": [
      rule(
        "self.maturity != 'deprecated' || has(self.deprecation)",
        "a deprecated connector needs deprecation.message",
        { fieldPath: ".deprecation" },
      ),
      rule(
        "!has(self.actions) || size(self.actions) == 0 || has(self.baseURL)",
        "a connector with actions needs a baseURL",
        { fieldPath: ".baseURL" },
      ),
    ],
  },
);

export const connectorStatus: Schema = object("The observed state of the connector.", {
  observedGeneration,
  conditions,
  integrations: integer("How many Integrations use this connector.", { minimum: 0 }),
});
