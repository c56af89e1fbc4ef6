import type { CredentialSpec, IntegrationPolicySpec } from "../../api/types.js";
import { validateManifest } from "../../api/validate.js";
import type { KubeObject } from "../../apiserver/types.js";
import type { Policy, Violation } from "../../governance/policy/evaluate-policies.js";
import { evaluatePolicies } from "../../governance/policy/evaluate-policies.js";
import type { GovernedKind, PolicyContext } from "../../governance/policy/governed-object.js";
import type { KnownConnector } from "../known-connectors.js";
import { findConnector } from "../known-connectors.js";
import type { Manifest } from "../yaml-manifests.js";

const governed = new Set(["Integration", "Connector", "ClusterConnector", "Credential"]);

/** The valid IntegrationPolicies among manifests. */
export function policiesIn(manifests: readonly Manifest[]): Policy[] {
  return manifests
    .map((m) => m.object as KubeObject)
    .filter((o) => o?.kind === "IntegrationPolicy" && validateManifest(o).ok)
    .map((o) => ({ name: o.metadata.name ?? "", spec: o.spec as IntegrationPolicySpec }));
}

/**
 * The policies' violations by the given manifests, offline, as admission would find them: the
 * namespaces' labels, the Credentials and the connectors come from the same files (and the catalog).
 * Objects that are not valid are left to the schema's errors.
 */
export function offlinePolicyViolations(
  manifests: readonly Manifest[],
  connectors: readonly KnownConnector[],
  policies: readonly Policy[],
): { manifest: Manifest; violation: Violation }[] {
  if (policies.length === 0) return [];
  const objects = manifests.map((m) => m.object as KubeObject).filter((o) => o && typeof o === "object");
  const namespaces = new Map(
    objects
      .filter((o) => o.kind === "Namespace")
      .map((o) => [o.metadata.name ?? "", o.metadata.labels ?? {}]),
  );
  const credentials = new Map(
    objects
      .filter((o) => o.kind === "Credential")
      .map((o) => [
        `${o.metadata.namespace ?? "default"}/${o.metadata.name ?? ""}`,
        o.spec as CredentialSpec,
      ]),
  );
  const context: PolicyContext = {
    namespaceLabels: (namespace) => ({
      "kubernetes.io/metadata.name": namespace,
      ...namespaces.get(namespace),
    }),
    connectorOf: (namespace, spec) => {
      const found = findConnector(connectors, spec.connectorRef, namespace).connector;
      return found && { kind: found.kind, name: found.name, version: found.spec.version, spec: found.spec };
    },
    credential: (namespace, name) => credentials.get(`${namespace}/${name}`),
  };
  const found: { manifest: Manifest; violation: Violation }[] = [];
  for (const manifest of manifests) {
    const object = manifest.object as KubeObject;
    if (!object || !governed.has(object.kind) || !validateManifest(object).ok) continue;
    const namespaced = object.kind !== "ClusterConnector";
    for (const violation of evaluatePolicies(
      policies,
      {
        kind: object.kind as GovernedKind,
        namespace: namespaced ? (object.metadata.namespace ?? "default") : undefined,
        name: object.metadata.name ?? "",
        labels: object.metadata.labels ?? {},
        spec: object.spec,
      },
      context,
    ))
      found.push({ manifest, violation });
  }
  return found;
}
