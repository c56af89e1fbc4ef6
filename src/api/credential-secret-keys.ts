import type { CredentialType } from "./schema/enumerations.js";

/**
 * The keys a Credential's Secret holds, by field of `spec.secretRef.keys`, with the key used when the
 * field is unset. The schema documents these defaults; controllers and the runtime read them here.
 */
export const credentialSecretKeys = {
  clientId: { key: "client-id", description: "The OAuth 2.0 client id." },
  clientSecret: { key: "client-secret", description: "The OAuth 2.0 client secret." },
  refreshToken: { key: "refresh-token", description: "The OAuth 2.0 refresh token." },
  apiKey: { key: "api-key", description: "The API key." },
  token: { key: "token", description: "The bearer token." },
  username: { key: "username", description: "The basic auth user name." },
  password: { key: "password", description: "The basic auth password." },
  secret: { key: "secret", description: "The HMAC signing secret." },
  accessKeyId: { key: "aws-access-key-id", description: "The AWS access key id." },
  secretAccessKey: { key: "aws-secret-access-key", description: "The AWS secret access key." },
  sessionToken: { key: "aws-session-token", description: "The AWS session token, for temporary keys." },
  serviceAccountKey: {
    key: "service-account.json",
    description: "The Google service account key file (JSON).",
  },
} as const;

export type CredentialSecretKeyField = keyof typeof credentialSecretKeys;

/** The Secret keys each credential type cannot work without; a Credential missing one is not Ready. */
export const requiredSecretKeys: Record<CredentialType, readonly CredentialSecretKeyField[]> = {
  "oauth2-client-credentials": ["clientId", "clientSecret"],
  // Public clients have no secret; the refresh token is what matters.
  "oauth2-refresh-token": ["clientId", "refreshToken"],
  "api-key": ["apiKey"],
  bearer: ["token"],
  basic: ["username", "password"],
  hmac: ["secret"],
  "aws-sigv4": ["accessKeyId", "secretAccessKey"],
  "google-service-account": ["serviceAccountKey"],
};

/** The key name in the Secret for a field, honouring the Credential's overrides. */
export function secretKeyName(
  field: CredentialSecretKeyField,
  overrides: Partial<Record<CredentialSecretKeyField, string>> | undefined,
): string {
  return overrides?.[field] ?? credentialSecretKeys[field].key;
}
