import { Ajv } from "ajv";

/** One way an Integration's `spec.config` does not fit its connector's config schema. */
export interface ConfigProblem {
  /** The field at fault: `spec.config`, `spec.config.host`. */
  path: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/**
 * Checks an Integration's config against its connector's `configSchema`: every problem, each naming
 * its field (`spec.config.host: must match pattern ...`), none when the connector has no schema.
 */
export function configProblems(
  configSchema: Record<string, unknown> | undefined,
  config: Record<string, unknown> | undefined,
): ConfigProblem[] {
  if (!configSchema) return [];
  const validate = ajv.compile(configSchema);
  if (validate(config ?? {})) return [];
  return (validate.errors ?? []).map((error) => ({
    path: `spec.config${error.instancePath.replace(/\//g, ".")}`,
    message: `${error.message ?? "invalid"}${error.keyword === "required" ? ` (${String((error.params as { missingProperty?: string }).missingProperty)})` : ""}`,
  }));
}
