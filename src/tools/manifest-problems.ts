import { group } from "../api/group.js";
import type { ConnectorSpec, Integration } from "../api/types.js";
import { validateManifest } from "../api/validate.js";
import { connectorFieldProblems } from "../operator/controllers/connector-validation.js";
import type { FieldProblem } from "./diagnostic.js";
import { integrationProblems } from "./integration-problems.js";
import type { KnownConnector } from "./known-connectors.js";

/**
 * Every problem of one object, offline: a Kubernetes object has apiVersion and kind; a Switchboard
 * object fits its kind's schema (and CEL rules), then an Integration fits its connector and a
 * connector passes the operator's checks. Other kinds (Secrets, Namespaces, ...) are not checked.
 */
export function manifestProblems(
  object: unknown,
  connectors: readonly KnownConnector[],
  searched: { catalog: boolean },
): FieldProblem[] {
  if (!object || typeof object !== "object" || Array.isArray(object))
    return [{ path: "", message: "not a Kubernetes object: a mapping with apiVersion, kind and metadata" }];
  const { apiVersion, kind, spec } = object as { apiVersion?: unknown; kind?: unknown; spec?: unknown };
  const missing: FieldProblem[] = [];
  if (typeof apiVersion !== "string" || apiVersion === "")
    missing.push({ path: "apiVersion", message: "required field is missing" });
  if (typeof kind !== "string" || kind === "")
    missing.push({ path: "kind", message: "required field is missing" });
  if (missing.length > 0) return missing;
  if ((apiVersion as string).split("/")[0] !== group) return [];
  const validation = validateManifest(object);
  if (!validation.ok) return validation.errors;
  if (kind === "Integration") return integrationProblems(object as Integration, connectors, searched);
  if (kind === "Connector" || kind === "ClusterConnector")
    return connectorFieldProblems(spec as ConnectorSpec);
  return [];
}
