import { defaultSecretFieldNames } from "../../../api/schema/policy-rules.js";
import type { ConnectorSpec, CredentialSpec, IntegrationSpec } from "../../../api/types.js";
import type { Check, CheckFailure } from "../governed-object.js";
import { globMatch } from "../governed-object.js";

/** Labels every object carries, credential types, and secret values kept out of specs. */
export const labelAndCredentialChecks: Record<string, Check> = {
  requiredLabels: (object, rule) => {
    const failures: CheckFailure[] = [];
    for (const required of rule.requiredLabels ?? []) {
      const value = object.labels[required.key];
      const field = `metadata.labels["${required.key}"]`;
      if (value === undefined)
        failures.push({
          field,
          message: `label ${required.key} is missing${required.allowedValues ? `: set it to one of ${required.allowedValues.join(", ")}` : ""}`,
        });
      else if (required.allowedValues && !required.allowedValues.includes(value))
        failures.push({
          field,
          message: `label ${required.key}=${value} is not allowed: use one of ${required.allowedValues.join(", ")}`,
        });
    }
    return failures;
  },

  authTypes: (object, rule, context) => {
    if (!rule.authTypes) return [];
    const allowed = rule.authTypes.allowed;
    let type: string | undefined;
    let field = "spec.type";
    if (object.kind === "Credential") type = (object.spec as CredentialSpec).type;
    else if (object.kind === "Integration") {
      const ref = (object.spec as IntegrationSpec).credentialRef?.name;
      type = ref ? context.credential(object.namespace ?? "", ref)?.type : undefined;
      field = "spec.credentialRef.name";
    }
    return type && !allowed.includes(type as (typeof allowed)[number])
      ? [{ field, message: `credential type ${type} is not allowed; allowed: ${allowed.join(", ")}` }]
      : [];
  },

  secretsByReference: (object, rule) => {
    if (!rule.secretsByReference) return [];
    const globs = rule.secretsByReference.fieldNames ?? defaultSecretFieldNames;
    const looksSecret = (name: string) => globs.some((glob) => globMatch(glob, name, true));
    const failures: CheckFailure[] = [];
    const comply = "keep secret values in a Secret and reference them (a Credential, or a secretRef)";
    if (object.kind === "Integration") {
      walk((object.spec as IntegrationSpec).config ?? {}, "spec.config", (path, key) => {
        if (looksSecret(key))
          failures.push({ field: path, message: `${key} looks like a secret value: ${comply}` });
      });
    } else if (object.kind === "Connector" || object.kind === "ClusterConnector") {
      const schema = (object.spec as ConnectorSpec).configSchema;
      walkSchemaDefaults(schema, "spec.configSchema", (path, key) => {
        if (looksSecret(key))
          failures.push({
            field: path,
            message: `the default of ${key} looks like a secret value: ${comply}`,
          });
      });
    }
    return failures;
  },
};

function walk(value: unknown, path: string, visit: (path: string, key: string) => void): void {
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = `${path}.${key}`;
    if (child !== null && typeof child !== "object" && child !== "") visit(childPath, key);
    walk(child, childPath, visit);
  }
}

function walkSchemaDefaults(
  schema: Record<string, unknown> | undefined,
  path: string,
  visit: (path: string, key: string) => void,
): void {
  const properties = schema?.properties as Record<string, Record<string, unknown>> | undefined;
  for (const [key, property] of Object.entries(properties ?? {})) {
    const childPath = `${path}.properties.${key}`;
    if (property.default !== undefined && property.default !== "") visit(`${childPath}.default`, key);
    walkSchemaDefaults(property, childPath, visit);
  }
}
