import { secretKeyName } from "../api/credential-secret-keys.js";
import type { CredentialSecretKeyField } from "../api/credential-secret-keys.js";
import type { CredentialMaterial } from "./request-authenticator.js";

/** A value of the Credential's Secret by field, under the key the Credential names; an error names the key, never a value. */
export function secretValue(credential: CredentialMaterial, field: CredentialSecretKeyField): string {
  const key = secretKeyName(field, credential.spec.secretRef.keys);
  const value = credential.values[key];
  if (value === undefined || value === "")
    throw new Error(`the Credential's Secret "${credential.spec.secretRef.name}" has no "${key}"`);
  return value;
}

export function optionalSecretValue(
  credential: CredentialMaterial,
  field: CredentialSecretKeyField,
): string | undefined {
  return credential.values[secretKeyName(field, credential.spec.secretRef.keys)] || undefined;
}

/** A template over the Integration's config, e.g. `https://{config.domain}/oauth2/v1/token`. */
export function renderConfigTemplate(template: string, config: Record<string, unknown>): string {
  return template.replace(/\{config\.([A-Za-z0-9_]+)\}/g, (_m, key: string) => {
    const value = config[key];
    if (typeof value !== "string" && typeof value !== "number")
      throw new Error(`{config.${key}} has no value`);
    return String(value);
  });
}
