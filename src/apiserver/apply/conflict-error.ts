import { ApiError } from "../api-error.js";
import type { FieldSet } from "./field-set.js";
import { compareCodePoints, goQuote } from "./go-text.js";
import type { Manager, Managers } from "./managed-fields.js";
import { displayPath } from "./path-element.js";

/**
 * The 409 kube's fieldmanager answers an apply that would change fields other managers own:
 * `Apply failed with 1 conflict: conflict with "x" using v1: .spec.a`, or for several, one line per
 * field under each manager, managers in the order of their identifiers. One cause per field.
 */
export function conflictError(conflicts: ReadonlyMap<string, FieldSet>, managers: Managers): ApiError {
  const ids = [...conflicts.keys()].sort(compareCodePoints);
  const lines: string[] = [];
  const causes: { reason: string; message: string; field: string }[] = [];
  for (const id of ids) {
    const manager = managers.get(id);
    const who = manager ? describeManager(manager) : goQuote(id);
    lines.push(`conflicts with ${who}:`);
    for (const path of conflicts.get(id)?.paths() ?? []) {
      const field = displayPath(path);
      lines.push(`- ${field}`);
      causes.push({ reason: "FieldManagerConflict", message: `conflict with ${who}`, field });
    }
  }
  const [only] = causes;
  const message =
    causes.length === 1 && only
      ? `Apply failed with 1 conflict: ${only.message}: ${only.field}`
      : `Apply failed with ${causes.length} conflicts: ${lines.join("\n")}`;
  return new ApiError(409, "Conflict", message, { causes });
}

/** fieldmanager's `printManager`: `"name"`, with the subresource, and the version for updaters. */
function describeManager(manager: Manager): string {
  let text = goQuote(manager.manager);
  if (manager.subresource) text += ` with subresource ${goQuote(manager.subresource)}`;
  if (manager.operation === "Update") text += ` using ${manager.apiVersion}`;
  return text;
}
