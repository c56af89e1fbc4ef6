import { ApiError } from "../api-error.js";
import type { ResourceType } from "../resources/resource-type.js";
import { processCustomResource } from "../schema/process-custom-resource.js";
import type { JsonSchemaProps } from "../schema/structural-schema.js";
import { compileSchema, schemaProblems } from "../schema/structural-schema.js";
import type { FieldError } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

/**
 * Custom resources: pruned, defaulted and validated against their CRD version's structural schema
 * (compiled once per version); updates must name a resourceVersion, as kube's CR strategy requires.
 */
export function customResourceStrategy(type: ResourceType): KindStrategy {
  const schema = type.schema ? compileSchema(type.schema) : undefined;
  return {
    allowUnconditionalUpdate: false,
    validate(object, old, context) {
      if (!schema) return [];
      const result = processCustomResource(schema, object, {
        oldObject: old,
        fieldValidation: context.fieldValidation,
        subresource: context.subresource,
      });
      // Malformed metadata is a decoding failure in kube: 400, not 422.
      if (result.decodeError !== undefined) throw ApiError.badRequest(result.decodeError);
      context.unknownFields.push(...result.unknownFields);
      context.warnings.push(...result.warnings);
      return result.errors;
    },
  };
}

/** Problems in a CRD version's schema (patterns and CEL rules that do not compile), as CRD validation errors. */
export function schemaErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  return schemaProblems(compileSchema(schema as JsonSchemaProps)).map((problem) => ({
    reason: "FieldValueInvalid",
    field: path,
    message: `Invalid value: "object": ${problem}`,
  }));
}
