import { hmacSignature } from "./connector-webhook.js";
import { credentialTypes, httpMethods } from "./enumerations.js";
import { rateLimit } from "./rate-limit.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  enumeration,
  freeform,
  headerName,
  jsonata,
  keyedList,
  named,
  object,
  rule,
  string,
  stringMap,
} from "./schema-builders.js";

const schemeName = (description: string): Schema =>
  string(description, { pattern: "^[a-z][a-z0-9-]*$", maxLength: 63 });

export const apiKeyPlacement: Schema = named(
  "APIKeyPlacement",
  object(
    "Where an api-key credential goes in a request.",
    {
      in: enumeration("A header or a query parameter.", ["header", "query"], { default: "header" }),
      name: string("The header or query parameter name, e.g. `X-Api-Key`.", { minLength: 1, maxLength: 128 }),
      prefix: string("Text before the key, e.g. `SSWS ` or `Token `.", { maxLength: 64 }),
    },
    ["name"],
  ),
);

const authScheme = named(
  "AuthScheme",
  object(
    "One way the vendor's API accepts credentials. An Integration's Credential must have one of these types.",
    {
      name: schemeName("The scheme's name, which actions refer to."),
      type: enumeration("The credential type the scheme takes.", credentialTypes),
      description: string("When to use this scheme.", { maxLength: 1024 }),
      tokenURL: string(
        "The OAuth 2.0 token endpoint, a template over `config` (e.g. `https://{config.domain}/oauth2/v1/token`); a Credential's own tokenURL wins.",
        { maxLength: 2048 },
      ),
      scopes: array(
        "OAuth 2.0 scopes the connector's actions need.",
        string("A scope.", { maxLength: 256 }),
        {
          maxItems: 64,
        },
      ),
      audience: string("The audience of token requests or JWT assertions, where the vendor asks for one.", {
        maxLength: 2048,
      }),
      apiKey: apiKeyPlacement,
      aws: object(
        "AWS Signature Version 4 parameters.",
        {
          service: string("The signing service name, e.g. `securityhub`.", { minLength: 1, maxLength: 64 }),
          region: string("The signing region, or a template over `config` such as `{config.region}`.", {
            maxLength: 64,
          }),
        },
        ["service"],
      ),
      hmac: hmacSignature,
    },
    ["name", "type"],
    {
      "x-kubernetes-validations": [
        rule("self.type != 'aws-sigv4' || has(self.aws)", "aws-sigv4 schemes need aws.service", {
          fieldPath: ".aws",
        }),
        rule(
          "self.type != 'hmac' || has(self.hmac)",
          "hmac schemes need hmac.header for the request signature",
          {
            fieldPath: ".hmac",
          },
        ),
        rule("!has(self.apiKey) || self.type == 'api-key'", "apiKey applies to api-key schemes only", {
          fieldPath: ".apiKey",
        }),
      ],
    },
  ),
);

export const authSchemes: Schema = keyedList(
  "The auth schemes the vendor's API accepts; the first is the default.",
  authScheme,
  ["name"],
  { maxItems: 8 },
);

export const connectorAction: Schema = named(
  "ConnectorAction",
  object(
    "An operation on the vendor's API that flows and the action API (`POST /actions/{name}`) can run.",
    {
      name: string("The action's name, unique in the connector.", {
        pattern: "^[a-z][a-zA-Z0-9_-]*$",
        maxLength: 63,
      }),
      description: string("What the action does.", { maxLength: 1024 }),
      method: enumeration("The HTTP method.", httpMethods),
      path: string(
        "The path below baseURL, a template over `input` and `config`: `/repos/{input.owner}/{input.repo}/issues`. Values are URL-encoded.",
        { minLength: 1, maxLength: 1024 },
      ),
      query: stringMap("Query parameters, each a template over `input` and `config`."),
      headers: stringMap("Request headers, each a template over `input` and `config`."),
      body: jsonata(
        "A JSONata expression over `input` and `config` that builds the JSON request body; the input itself when unset (for methods with a body).",
      ),
      inputSchema: freeform(
        "A JSON Schema for the action's input; a call whose input does not match is refused.",
      ),
      output: jsonata("A JSONata expression mapping the vendor's response body to the action's output."),
      outputSchema: freeform("A JSON Schema of the action's output, for the action API's OpenAPI document."),
      authScheme: schemeName("The auth scheme the action uses; the connector's first when unset."),
      idempotencyKeyHeader: headerName(
        "A header the vendor reads idempotency keys from (e.g. `Idempotency-Key`); retries then carry the same key.",
      ),
      rateLimit: rateLimit(
        "A limit of this action's own (e.g. a per-method tier), applied within the connector's and the Integration's.",
      ),
    },
    ["name", "method", "path"],
  ),
);

export const actions: Schema = keyedList("The operations the connector offers.", connectorAction, ["name"], {
  maxItems: 256,
});
