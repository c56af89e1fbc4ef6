import { conditions, observedGeneration } from "./conditions.js";
import { apiKeyPlacement } from "./connector-actions.js";
import { credentialTypes } from "./enumerations.js";
import { localName, secretKey } from "./references.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  enumeration,
  named,
  object,
  refused,
  rule,
  string,
  stringMap,
  url,
} from "./schema-builders.js";
import { credentialSecretKeys } from "../credential-secret-keys.js";

/**
 * Field names people reach for when they paste a secret into a Credential. Declared so that they are
 * refused with a message, not silently pruned: pruning happens before validation, so a field the
 * schema does not know could not be rejected at all.
 */
export const inlineSecretFields = [
  "value",
  "password",
  "token",
  "clientSecret",
  "refreshToken",
  "secretAccessKey",
  "privateKey",
  "data",
  "stringData",
] as const;

const refusal =
  "Refused: secret values never go in a Credential. Put the value in the Secret named by secretRef and name its key in secretRef.keys.";

// The refusal is a rule, not a schema constraint: kube-apiserver skips rules once the schema finds an
// error, and its schema errors would either quote the value (a secret) or say nothing useful.
const refusedFields: Record<string, Schema> = Object.fromEntries(
  inlineSecretFields.map((field) => [
    field,
    refused(
      field === "data" || field === "stringData"
        ? {
            type: "object",
            description: refusal,
            "x-kubernetes-preserve-unknown-fields": true,
            maxProperties: 64,
          }
        : { type: "string", description: refusal, maxLength: 65536 },
    ),
  ]),
);

const refusalRules = inlineSecretFields.map((field) =>
  rule(
    `!has(self.${field})`,
    "secret values never go in a Credential: put them in the Secret named by spec.secretRef",
    {
      fieldPath: `.${field}`,
      reason: "FieldValueForbidden",
    },
  ),
);

const secretRef = named(
  "CredentialSecretRef",
  object(
    "The Secret, in this namespace, holding the secret values, and which of its keys hold what.",
    {
      name: localName("The Secret's name."),
      keys: named(
        "CredentialSecretKeys",
        object(
          "Key names in the Secret, when they differ from the defaults shown. A Credential's type decides which are needed.",
          Object.fromEntries(
            Object.entries(credentialSecretKeys).map(([field, { description, key }]) => [
              field,
              secretKey(`${description} Default \`${key}\`.`),
            ]),
          ),
        ),
      ),
    },
    ["name"],
  ),
);

export const credentialSpec: Schema = named(
  "CredentialSpec",
  object(
    "How to authenticate to one system. Secret values live only in the referenced Secret, never here.",
    {
      type: enumeration(
        "The kind of credential. It cannot change: create a new Credential instead.",
        credentialTypes,
        {
          "x-kubernetes-validations": [rule("self == oldSelf", "type is immutable; create a new Credential")],
        },
      ),
      secretRef,
      oauth2: named(
        "OAuth2Settings",
        object(
          "OAuth 2.0 token requests, for the oauth2 types.",
          {
            tokenURL: url("The token endpoint."),
            scopes: array("Scopes to request.", string("A scope.", { maxLength: 256 }), { maxItems: 64 }),
            audience: string("The audience, for vendors that ask for one.", { maxLength: 2048 }),
            clientAuthentication: enumeration(
              "How the client authenticates to the token endpoint: HTTP basic auth or form parameters.",
              ["client-secret-basic", "client-secret-post"],
              { default: "client-secret-basic" },
            ),
            parameters: stringMap("More token request parameters, e.g. `resource`. Not secrets."),
          },
          ["tokenURL"],
        ),
      ),
      apiKey: named(
        "APIKeyPlacement",
        {
          ...apiKeyPlacement,
          description: "Where the key goes, for api-key; the connector's auth scheme when unset.",
        },
        String(apiKeyPlacement.description),
      ),
      aws: named(
        "AWSSettings",
        object(
          "AWS Signature Version 4, for aws-sigv4.",
          {
            region: string("The region to sign for, e.g. `eu-west-1`.", {
              pattern: "^[a-z0-9-]+$",
              maxLength: 64,
            }),
            roleARN: string("A role to assume with the keys.", {
              pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$",
              maxLength: 2048,
            }),
            externalID: string("The external id the role's trust policy requires.", { maxLength: 1224 }),
          },
          ["region"],
        ),
      ),
      google: named(
        "GoogleSettings",
        object("Google service account tokens, for google-service-account.", {
          scopes: array("OAuth scopes for the token.", string("A scope.", { maxLength: 256 }), {
            maxItems: 64,
          }),
          subject: string("A user to impersonate with domain-wide delegation.", { maxLength: 320 }),
        }),
      ),
      ...refusedFields,
    },
    ["type", "secretRef"],
    {
      "x-kubernetes-validations": [
        ...refusalRules,
        rule(
          "!self.type.startsWith('oauth2') || has(self.oauth2)",
          "oauth2 credentials need oauth2.tokenURL",
          {
            fieldPath: ".oauth2",
          },
        ),
        rule("self.type != 'aws-sigv4' || has(self.aws)", "aws-sigv4 credentials need aws.region", {
          fieldPath: ".aws",
        }),
        rule("!has(self.apiKey) || self.type == 'api-key'", "apiKey applies to api-key credentials only", {
          fieldPath: ".apiKey",
        }),
      ],
    },
  ),
);

export const credentialStatus: Schema = named(
  "CredentialStatus",
  object("The observed state of the Credential. It never holds secret values or tokens.", {
    observedGeneration,
    conditions,
    lastVerifiedTime: string(
      "When the credential was last checked (Secret keys, and a token request where there is one).",
      {
        format: "date-time",
      },
    ),
    expirationTime: string(
      "When the credential expires, where that is known; a warning is raised ahead of it.",
      {
        format: "date-time",
      },
    ),
    secretResourceVersion: string(
      "The resourceVersion of the Secret last checked; a change triggers a new check.",
      {
        maxLength: 64,
      },
    ),
  }),
);
