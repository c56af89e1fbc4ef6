import { ApiError } from "../api-error.js";
import type { FieldError } from "../types.js";
import { goQuote, isPrintable } from "./go-text.js";

/** kube's `FieldManagerMaxLength`, in bytes. */
export const fieldManagerMaxLength = 128;

/**
 * The manager of a write that names none, as kube derives it (`prefixFromUserAgent`): the User-Agent
 * up to its first `/` (`kubectl/v1.31.0 (linux/amd64) kubernetes/abc` is `kubectl`), without
 * unprintable characters, cut at 128 bytes. Empty without a User-Agent. Apply requires a manager and
 * never gets here; kubectl names its own (`kubectl-client-side-apply`, `kubectl-edit`, ...).
 */
export function defaultFieldManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? "").split("/")[0] ?? "";
  let name = "";
  let bytes = 0;
  for (const char of prefix) {
    if (!isPrintable(char)) continue;
    const size = Buffer.byteLength(char);
    if (bytes + size > fieldManagerMaxLength) break;
    name += char;
    bytes += size;
  }
  return name;
}

export type WriteVerb = "create" | "update" | "patch" | "apply";

const optionsKind: Record<WriteVerb, string> = {
  create: "CreateOptions",
  update: "UpdateOptions",
  patch: "PatchOptions",
  apply: "PatchOptions",
};

/**
 * Checks a request's `fieldManager` (and `force`) as kube's `ValidateCreateOptions`,
 * `ValidateUpdateOptions` and `ValidatePatchOptions` do, throwing their 422:
 * `PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch`.
 * `force` is the query parameter as sent: any value on a non-apply patch is refused.
 */
export function validateFieldManager(
  verb: WriteVerb,
  fieldManager: string | undefined,
  force?: boolean,
): void {
  const errors: FieldError[] = [];
  const manager = fieldManager ?? "";
  if (verb === "patch" && force !== undefined)
    errors.push({
      reason: "FieldValueForbidden",
      field: "force",
      message: "Forbidden: may not be specified for non-apply patch",
    });
  if (verb === "apply" && manager === "")
    errors.push({
      reason: "FieldValueRequired",
      field: "fieldManager",
      message: "Required value: is required for apply patch",
    });
  if (Buffer.byteLength(manager) > fieldManagerMaxLength)
    errors.push({
      reason: "FieldValueTooLong",
      field: "fieldManager",
      message: `Too long: may not be more than ${fieldManagerMaxLength} bytes`,
    });
  let position = 0;
  for (const char of manager) {
    if (!isPrintable(char)) {
      const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
      errors.push({
        reason: "FieldValueInvalid",
        field: "fieldManager",
        message: `Invalid value: ${goQuote(manager)}: invalid character U+${code} (at position ${position})`,
      });
    }
    position += Buffer.byteLength(char);
  }
  if (errors.length > 0)
    throw ApiError.invalid({ group: "meta.k8s.io", kind: optionsKind[verb] }, "", errors);
}
