import { isDeepStrictEqual } from "node:util";
import type { ConnectorSpec, Integration, IntegrationSpec } from "../../api/types.js";
import { kinds } from "../../api/group.js";
import { validateManifest } from "../../api/validate.js";
import type { KubeObject } from "../../apiserver/types.js";
import { connectorFieldProblems } from "../../operator/controllers/connector-validation.js";
import { findConnector } from "../../tools/known-connectors.js";
import { integrationProblems } from "../../tools/integration-problems.js";
import type { Violation } from "../policy/evaluate-policies.js";
import { evaluatePolicies } from "../policy/evaluate-policies.js";
import type { GovernedKind } from "../policy/governed-object.js";
import type { GovernanceCache } from "./governance-cache.js";

export interface AdmissionDecision {
  allowed: boolean;
  /** 400 for an invalid object, 403 for a policy denial. */
  code?: number;
  reason?: string;
  message?: string;
  warnings: string[];
  /** Policy violations of every enforcement, for the audit trail. */
  violations: Violation[];
}

const governed = new Set<string>(["Integration", "Connector", "ClusterConnector", "Credential"]);
const shown = 10;

/**
 * Admission for Switchboard's kinds, in the order kube-apiserver users expect: the schema (field
 * paths), then what the operator and the runtime would refuse (connector and version, config, flows,
 * the Credential's type), then the policies: `deny` violations reject, `warn` ones come back as
 * warnings, `audit` ones only go to the audit trail.
 */
export async function reviewObject(
  request: { operation: string; object: KubeObject | undefined; oldObject?: KubeObject | undefined },
  cache: GovernanceCache,
): Promise<AdmissionDecision> {
  const object = request.object;
  if (request.operation === "DELETE" || !object || !(kinds as readonly string[]).includes(object.kind))
    return { allowed: true, warnings: [], violations: [] };
  // An update that leaves spec and labels as they were (a controller's finalizer or annotation) is not
  // judged again: a policy tightened since must not stop controllers from doing their work.
  const old = request.oldObject;
  if (
    request.operation === "UPDATE" &&
    old &&
    isDeepStrictEqual(old.spec, object.spec) &&
    isDeepStrictEqual(old.metadata.labels ?? {}, object.metadata.labels ?? {})
  )
    return { allowed: true, warnings: [], violations: [] };
  const what = `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ""}${object.metadata.name ?? ""}`;
  const schema = validateManifest(object);
  if (!schema.ok)
    return invalid(
      what,
      schema.errors.map((e) => `${e.path || "(object)"}: ${e.message}`),
      [],
    );

  const namespace = object.metadata.namespace ?? "default";
  const warnings: string[] = [];
  const errors: string[] = [];
  // An Integration's connector is looked up live once when the cache has not seen it yet.
  const known =
    object.kind === "Integration"
      ? await cache.knownConnectorsFor(namespace, object.spec as IntegrationSpec)
      : cache.knownConnectors();
  if (object.kind === "Integration") {
    const spec = object.spec as IntegrationSpec;
    for (const problem of integrationProblems(object as unknown as Integration, known, {
      where: "the cluster",
    }))
      (problem.severity === "warning" ? warnings : errors).push(`${problem.path}: ${problem.message}`);
    const connector = findConnector(known, spec.connectorRef, namespace).connector;
    const ref = spec.credentialRef?.name;
    const credential = ref ? cache.context(known).credential(namespace, ref) : undefined;
    if (ref && !credential)
      warnings.push(
        `spec.credentialRef.name: Credential ${namespace}/${ref} does not exist yet; the Integration waits for it`,
      );
    const schemes = connector?.spec.auth ?? [];
    if (credential && schemes.length > 0 && !schemes.some((s) => s.type === credential.type))
      errors.push(
        `spec.credentialRef.name: Credential ${ref ?? ""} is of type ${credential.type}; connector ${connector?.name ?? ""} takes ${schemes.map((s) => `${s.type} (${s.name})`).join(", ")}`,
      );
  } else if (object.kind === "Connector" || object.kind === "ClusterConnector") {
    errors.push(
      ...connectorFieldProblems(object.spec as ConnectorSpec).map((p) => `${p.path}: ${p.message}`),
    );
  }
  if (errors.length > 0) return invalid(what, errors, warnings);

  if (!governed.has(object.kind)) return { allowed: true, warnings, violations: [] };
  const violations = evaluatePolicies(
    cache.policies(),
    {
      kind: object.kind as GovernedKind,
      namespace: object.metadata.namespace,
      name: object.metadata.name ?? "",
      labels: object.metadata.labels ?? {},
      spec: object.spec,
    },
    cache.context(known),
  );
  warnings.push(...violations.filter((v) => v.enforcement === "warn").map((v) => v.message));
  const denials = violations.filter((v) => v.enforcement === "deny");
  if (denials.length === 0) return { allowed: true, warnings, violations };
  return {
    allowed: false,
    code: 403,
    reason: "Forbidden",
    message: `${what} is denied by policy: ${list(denials.map((v) => v.message))}`,
    warnings,
    violations,
  };
}

function invalid(what: string, errors: string[], warnings: string[]): AdmissionDecision {
  return {
    allowed: false,
    code: 400,
    reason: "Invalid",
    message: `${what} is invalid: ${list(errors)}`,
    warnings,
    violations: [],
  };
}

function list(items: string[]): string {
  const head = items.slice(0, shown).join("; ");
  return items.length > shown ? `${head}; and ${items.length - shown} more` : head;
}
