import type { FieldError, KubeObject } from "../types.js";
import { applyDefaults } from "./apply-defaults.js";
import { prune } from "./prune.js";
import type { SchemaNode } from "./structural-schema.js";
import { validateValue } from "./validate-value.js";

export interface ProcessedCustomResource {
  /** Fields dropped because the schema does not know them. */
  unknownFields: string[];
  errors: FieldError[];
}

/**
 * What kube-apiserver does to a custom resource on write, in its order: prune unknown fields, apply
 * defaults, then validate the result (OpenAPI and CEL; transition rules against `old`). Changes
 * `object` in place.
 */
export function processCustomResource(
  schema: SchemaNode,
  object: KubeObject,
  old: KubeObject | undefined,
): ProcessedCustomResource {
  const unknownFields: string[] = [];
  prune(schema, object, "", unknownFields, true);
  applyDefaults(schema, object);
  const errors: FieldError[] = [];
  const { apiVersion: _a, kind: _k, metadata: _m, ...body } = object;
  const oldBody = old ? (({ apiVersion: _oa, kind: _ok, metadata: _om, ...rest }) => rest)(old) : undefined;
  validateValue(
    {
      ...schema,
      required: schema.required.filter((f) => f !== "metadata" && f !== "apiVersion" && f !== "kind"),
    },
    body,
    "",
    errors,
    old ? { value: body, old: oldBody, hasOld: true } : undefined,
  );
  return { unknownFields, errors };
}
