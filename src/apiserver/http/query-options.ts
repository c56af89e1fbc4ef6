import { ApiError } from "../api-error.js";
import type { FieldValidation } from "../strategies/kind-strategy.js";
import type { IncludeObject } from "./table.js";

/** The query parameters of list, watch and write requests, checked as kube checks them. */
export interface QueryOptions {
  labelSelector: string;
  fieldSelector: string;
  limit: number;
  continueToken: string | undefined;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
  allowWatchBookmarks: boolean;
  sendInitialEvents: boolean | undefined;
  timeoutSeconds: number | undefined;
  dryRun: boolean;
  fieldManager: string | undefined;
  fieldValidation: FieldValidation | undefined;
  force: boolean;
  propagationPolicy: "Orphan" | "Background" | "Foreground" | undefined;
  includeObject: IncludeObject;
}

export function parseQueryOptions(query: URLSearchParams): QueryOptions {
  const bool = (name: string): boolean | undefined => {
    const value = query.get(name);
    if (value === null) return undefined;
    if (value === "true" || value === "1") return true;
    if (value === "false" || value === "0" || value === "") return false;
    throw ApiError.badRequest(`invalid boolean value for ${name}: ${value}`);
  };
  const int = (name: string): number | undefined => {
    const value = query.get(name);
    if (value === null || value === "") return undefined;
    if (!/^-?\d+$/.test(value))
      throw ApiError.badRequest(`invalid value for ${name}: ${value}: must be an integer`);
    return Number(value);
  };
  const dryRun = query.getAll("dryRun");
  for (const value of dryRun) {
    if (value !== "All") {
      throw ApiError.invalid({ group: "meta.k8s.io", kind: "CreateOptions" }, "", [
        {
          reason: "FieldValueNotSupported",
          field: "dryRun",
          message: `Unsupported value: "${value}": supported values: "All"`,
        },
      ]);
    }
  }
  const fieldValidation = query.get("fieldValidation") ?? undefined;
  if (fieldValidation !== undefined && !["Strict", "Warn", "Ignore"].includes(fieldValidation)) {
    throw ApiError.badRequest(`fieldValidation parameter unsupported: ${fieldValidation}`);
  }
  const propagationPolicy = query.get("propagationPolicy") ?? undefined;
  if (
    propagationPolicy !== undefined &&
    !["Orphan", "Background", "Foreground"].includes(propagationPolicy)
  ) {
    throw ApiError.invalid({ group: "meta.k8s.io", kind: "DeleteOptions" }, "", [
      {
        reason: "FieldValueNotSupported",
        field: "propagationPolicy",
        message: `Unsupported value: "${propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      },
    ]);
  }
  const orphan = bool("orphanDependents");
  const includeObject = query.get("includeObject") ?? "Metadata";
  if (!["None", "Metadata", "Object"].includes(includeObject)) {
    throw ApiError.badRequest(`includeObject parameter unsupported: ${includeObject}`);
  }
  const limit = int("limit") ?? 0;
  const resourceVersion = query.get("resourceVersion") ?? undefined;
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) {
    throw ApiError.badRequest(
      `Invalid value: "${resourceVersion}": resourceVersion: Invalid value: "${resourceVersion}": must be a positive integer`,
    );
  }
  return {
    labelSelector: query.get("labelSelector") ?? "",
    fieldSelector: query.get("fieldSelector") ?? "",
    limit: limit < 0 ? 0 : limit,
    continueToken: query.get("continue") || undefined,
    resourceVersion: resourceVersion || undefined,
    resourceVersionMatch: query.get("resourceVersionMatch") ?? undefined,
    allowWatchBookmarks: bool("allowWatchBookmarks") ?? false,
    sendInitialEvents: bool("sendInitialEvents"),
    timeoutSeconds: int("timeoutSeconds"),
    dryRun: dryRun.length > 0,
    fieldManager: query.get("fieldManager") ?? undefined,
    fieldValidation: fieldValidation as FieldValidation | undefined,
    force: bool("force") ?? false,
    propagationPolicy:
      (propagationPolicy as QueryOptions["propagationPolicy"]) ??
      (orphan === true ? "Orphan" : orphan === false ? "Background" : undefined),
    includeObject: includeObject as IncludeObject,
  };
}
