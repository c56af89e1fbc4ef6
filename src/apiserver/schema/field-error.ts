import type { FieldError } from "../types.js";
import { GoLiteral, goNumber, goQuote, goSharpV } from "./go-format.js";

/**
 * apimachinery's `field.Error` constructors (k8s.io/apimachinery/pkg/util/validation/field), with
 * `ErrorBody()` as kube 1.32 prints it, so messages match what kubectl users see.
 */

/** A bad value that is not printed (`field.OmitValueType`): the body is the error type alone. */
export const omitValue: unique symbol = Symbol("omitValue");

export function required(field: string, detail = ""): FieldError {
  return make("FieldValueRequired", field, omitValue, detail);
}

export function forbidden(field: string, detail: string): FieldError {
  return make("FieldValueForbidden", field, omitValue, detail);
}

export function invalid(field: string, value: unknown, detail: string): FieldError {
  return make("FieldValueInvalid", field, value, detail);
}

/** `field.TypeInvalid`: reason `FieldValueTypeInvalid`, printed as `Invalid value`. */
export function typeInvalid(field: string, value: unknown, detail: string): FieldError {
  return make("FieldValueTypeInvalid", field, value, detail);
}

export function duplicate(field: string, value: unknown): FieldError {
  return make("FieldValueDuplicate", field, value, "");
}

export function notSupported(field: string, value: unknown, validValues: readonly string[]): FieldError {
  const detail = validValues.length > 0 ? `supported values: ${validValues.map(goQuote).join(", ")}` : "";
  return make("FieldValueNotSupported", field, value, detail);
}

/** `field.TooLong`: the value is never printed. */
export function tooLong(field: string, maxLength: number): FieldError {
  const detail =
    maxLength >= 0
      ? `may not be more than ${maxLength} ${maxLength === 1 ? "byte" : "bytes"}`
      : "value is too long";
  return make("FieldValueTooLong", field, omitValue, detail);
}

export function tooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} ${max === 1 ? "item" : "items"}` : "has too many items";
  return make("FieldValueTooMany", field, actual >= 0 ? new GoLiteral(String(actual)) : omitValue, detail);
}

const typeText: Record<string, string> = {
  FieldValueNotFound: "Not found",
  FieldValueRequired: "Required value",
  FieldValueDuplicate: "Duplicate value",
  FieldValueInvalid: "Invalid value",
  FieldValueNotSupported: "Unsupported value",
  FieldValueForbidden: "Forbidden",
  FieldValueTooLong: "Too long",
  FieldValueTooMany: "Too many",
  InternalError: "Internal error",
  FieldValueTypeInvalid: "Invalid value",
};

function make(reason: string, field: string, value: unknown, detail: string): FieldError {
  const type = typeText[reason] ?? reason;
  let body: string;
  if (
    value === omitValue ||
    reason === "FieldValueRequired" ||
    reason === "FieldValueForbidden" ||
    reason === "FieldValueTooLong" ||
    reason === "InternalError"
  ) {
    body = type;
  } else {
    body = `${type}: ${renderBadValue(value)}`;
  }
  return { reason, field, message: detail ? `${body}: ${detail}` : body };
}

/** How `ErrorBody` prints a bad value: strings quoted, numbers and booleans bare, null as `"null"`, the rest `%#v`. */
export function renderBadValue(value: unknown): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "number") return goNumber(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return goSharpV(value);
}

/** kube's field.Path: `spec.flows[0].name`, `spec.labels[app]`; the empty path prints as `<nil>`. */
export function childPath(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

export function keyPath(parent: string, key: string): string {
  return `${parent}[${key}]`;
}

export function indexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

export function printedPath(path: string): string {
  return path === "" ? "<nil>" : path;
}
