import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { apiVersion } from "./group.js";
import { kindSchema } from "./custom-resource-definitions.js";

export interface ManifestError {
  /** The field path, `spec.flows[0].target`, or empty for the object itself. */
  path: string;
  message: string;
}

export type ManifestValidation = { ok: true } | { ok: false; errors: ManifestError[] };

/**
 * Validates a Switchboard manifest in process, offline, against the same schema its CRD carries, with
 * errors that name the field. Unknown fields are errors here (as with `kubectl --validate=strict`).
 * CEL rules (`x-kubernetes-validations`) are left to the API server.
 */
export function validateManifest(manifest: unknown): ManifestValidation {
  if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) {
    return {
      ok: false,
      errors: [{ path: "", message: "a manifest must be an object with apiVersion, kind and metadata" }],
    };
  }
  const { apiVersion: given, kind } = manifest as { apiVersion?: unknown; kind?: unknown };
  if (given !== apiVersion) {
    return {
      ok: false,
      errors: [
        {
          path: "apiVersion",
          message: `must be "${apiVersion}" for Switchboard kinds (got ${JSON.stringify(given)})`,
        },
      ],
    };
  }
  const validate = typeof kind === "string" ? validatorFor(kind) : undefined;
  if (!validate) {
    return {
      ok: false,
      errors: [
        {
          path: "kind",
          message: `${JSON.stringify(kind)} is not a ${apiVersion} kind (Integration, Connector, ClusterConnector, Credential, IntegrationPolicy)`,
        },
      ],
    };
  }
  if (validate(manifest)) return { ok: true };
  return { ok: false, errors: (validate.errors ?? []).filter((e) => e.keyword !== "if").map(describe) };
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
const validators = new Map<string, ValidateFunction | undefined>();

function validatorFor(kind: string): ValidateFunction | undefined {
  if (!validators.has(kind)) {
    const schema = kindSchema(kind);
    validators.set(kind, schema ? ajv.compile(toJsonSchema(schema)) : undefined);
  }
  return validators.get(kind);
}

/** The structural schema as JSON Schema: int-or-string as anyOf, closed objects, no x-kubernetes keywords. */
export function toJsonSchema(node: Record<string, unknown>): Record<string, unknown> {
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties") {
      converted.properties = Object.fromEntries(
        Object.entries(value as Record<string, Record<string, unknown>>).map(([name, child]) => [
          name,
          toJsonSchema(child),
        ]),
      );
    } else if (
      (key === "items" || key === "additionalProperties" || key === "not") &&
      value &&
      typeof value === "object"
    ) {
      converted[key] = toJsonSchema(value as Record<string, unknown>);
    } else if ((key === "allOf" || key === "anyOf" || key === "oneOf") && Array.isArray(value)) {
      converted[key] = value.map((v: Record<string, unknown>) => toJsonSchema(v));
    } else converted[key] = value;
  }
  if (node["x-kubernetes-int-or-string"] === true) {
    delete converted.type;
    converted.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (
    converted.properties &&
    converted.additionalProperties === undefined &&
    node["x-kubernetes-preserve-unknown-fields"] !== true
  ) {
    converted.additionalProperties = false;
  }
  return converted;
}

function describe(error: ErrorObject): ManifestError {
  const base = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
      "",
    );
  const params = error.params as Record<string, unknown>;
  const join = (field: string): string => (base ? `${base}.${field}` : field);
  switch (error.keyword) {
    case "required":
      return { path: join(String(params.missingProperty)), message: "required field is missing" };
    case "additionalProperties":
      return { path: join(String(params.additionalProperty)), message: "unknown field" };
    case "enum":
      return {
        path: base,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "type":
      return { path: base, message: `must be of type ${String(params.type)}` };
    case "pattern":
      return { path: base, message: `must match the pattern ${String(params.pattern)}` };
    default:
      return { path: base, message: error.message ?? error.keyword };
  }
}
