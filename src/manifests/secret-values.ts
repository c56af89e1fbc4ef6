/** A Secret as the API server or a manifest file gives it. */
export interface SecretObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * A Secret's values by key, decoded, as a pod sees them mounted: `data` from base64, `stringData` as
 * written, one trailing newline dropped (as `readSecretFolder` drops it from mounted files).
 */
export function secretValues(secret: SecretObject): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(secret.data ?? {}))
    values.set(
      key,
      Buffer.from(value, "base64")
        .toString("utf8")
        .replace(/\r?\n$/, ""),
    );
  for (const [key, value] of Object.entries(secret.stringData ?? {}))
    values.set(key, value.replace(/\r?\n$/, ""));
  return values;
}
