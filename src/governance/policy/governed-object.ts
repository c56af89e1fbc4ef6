import type { ConnectorSpec, CredentialSpec, IntegrationSpec, PolicyRule } from "../../api/types.js";

export type GovernedKind = "Integration" | "Connector" | "ClusterConnector" | "Credential";

/** An object a policy governs, as admission or the audit sees it. */
export interface GovernedObject {
  kind: GovernedKind;
  namespace: string | undefined;
  name: string;
  labels: Record<string, string>;
  spec: unknown;
}

/** The connector an Integration resolves to. */
export interface ResolvedConnector {
  kind: "Connector" | "ClusterConnector";
  name: string;
  /** The installed version the Integration's range resolves to, when one does. */
  version: string | undefined;
  spec: ConnectorSpec;
}

/** What rules need to know beyond the object itself; answered from caches, never the network. */
export interface PolicyContext {
  /** The labels of a namespace; undefined when it is not known. */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
  connectorOf(namespace: string, spec: IntegrationSpec): ResolvedConnector | undefined;
  credential(namespace: string, name: string): CredentialSpec | undefined;
}

/** One check failed: where, and what is wrong. The rule's name and enforcement are added by the caller. */
export interface CheckFailure {
  field: string;
  message: string;
}

export type Check = (object: GovernedObject, rule: PolicyRule, context: PolicyContext) => CheckFailure[];

/** Glob with `*` for any run of characters, whole string, case-sensitive unless asked. */
export function globMatch(glob: string, value: string, caseInsensitive = false): boolean {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`, caseInsensitive ? "i" : "").test(value);
}
