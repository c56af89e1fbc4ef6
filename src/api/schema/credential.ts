import { conditions, observedGeneration, secretName } from "./common.js";
import { credentialTypes } from "./connector-spec.js";
import type { Schema } from "./schema-builders.js";
import { array, enumeration, object, rule, string } from "./schema-builders.js";

const key = (description: string, defaultKey: string): Schema =>
  string(description, { default: defaultKey, maxLength: 253 });

export const credentialSpec: Schema = object(
  "How to authenticate to one system. Secret values live only in the referenced Secret, never here.",
  {
    type: enumeration("The kind of credential.", credentialTypes),
    secretRef: object(
      "The Secret, in this namespace, holding the secret values, and which of its keys hold what.",
      {
        name: secretName("The Secret's name."),
        keys: object("Key names in the Secret; the defaults are shown.", {
          clientId: key("OAuth 2.0 client id.", "client-id"),
          clientSecret: key("OAuth 2.0 client secret.", "client-secret"),
          refreshToken: key("OAuth 2.0 refresh token.", "refresh-token"),
          apiKey: key("API key.", "api-key"),
          token: key("Bearer token.", "token"),
          username: key("Basic auth user.", "username"),
          password: key("Basic auth password.", "password"),
          secret: key("HMAC signing secret.", "secret"),
          accessKeyId: key("AWS access key id.", "aws-access-key-id"),
          secretAccessKey: key("AWS secret access key.", "aws-secret-access-key"),
          sessionToken: key("AWS session token (optional).", "aws-session-token"),
          serviceAccountJSON: key("Google service account key file (JSON).", "service-account.json"),
        }),
      },
      ["name"],
    ),
    oauth2: object("OAuth 2.0 token requests.", {
      tokenURL: string("The token endpoint.", { pattern: "^https?://", maxLength: 2048 }),
      scopes: array("Scopes to request.", string("A scope.", { maxLength: 256 }), { maxItems: 64 }),
      audience: string("Audience, for vendors that ask for one.", { maxLength: 2048 }),
      clientAuthentication: enumeration(
        "How the client authenticates to the token endpoint.",
        ["basic", "body"],
        { default: "basic" },
      ),
    }),
    aws: object("AWS Signature Version 4.", {
      region: string("The region to sign for.", { maxLength: 64 }),
      roleARN: string("A role to assume with the keys, if any.", {
        pattern: "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$",
        maxLength: 2048,
      }),
    }),
    google: object("Google service account tokens.", {
      scopes: array("OAuth scopes for the token.", string("A scope.", { maxLength: 256 }), { maxItems: 64 }),
      subject: string("A user to impersonate with domain-wide delegation.", { maxLength: 320 }),
    }),
  },
  ["type", "secretRef"],
  {
    "x-kubernetes-validations": [
      rule(
        "!self.type.startsWith('oauth2') || (has(self.oauth2) && has(self.oauth2.tokenURL))",
        "oauth2 credentials need oauth2.tokenURL",
        {
          fieldPath: ".oauth2",
        },
      ),
      rule(
        "self.type != 'aws-sigv4' || (has(self.aws) && has(self.aws.region))",
        "aws-sigv4 credentials need aws.region",
        { fieldPath: ".aws" },
      ),
    ],
  },
);

export const credentialStatus: Schema = object("The observed state of the Credential.", {
  observedGeneration,
  conditions,
  verifiedAt: string("When the credential was last checked against the vendor.", { format: "date-time" }),
  expiresAt: string("When the credential expires, where that is known.", { format: "date-time" }),
});
