import type { KubeObject, ObjectMeta } from "../apiserver/types.js";
import type {
  ConnectorSpec,
  ConnectorStatus,
  CredentialSpec,
  CredentialStatus,
  IntegrationPolicySpec,
  IntegrationPolicyStatus,
  IntegrationSpec,
  IntegrationStatus,
} from "./generated/types.js";
import type { apiVersion } from "./group.js";

export type * from "./generated/types.js";
export type {
  ConnectorCategory,
  ConnectorKind,
  CredentialType,
  Enforcement,
  HandshakeType,
  Maturity,
  Normalization,
  SinkMode,
  VerificationScheme,
} from "./schema/enumerations.js";

/** A Switchboard object: its kind's spec and status on a Kubernetes object. */
interface SwitchboardObject<Kind extends string, Spec, Status> extends KubeObject {
  apiVersion: typeof apiVersion;
  kind: Kind;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type Integration = SwitchboardObject<"Integration", IntegrationSpec, IntegrationStatus>;
export type ClusterConnector = SwitchboardObject<"ClusterConnector", ConnectorSpec, ConnectorStatus>;
export type Connector = SwitchboardObject<"Connector", ConnectorSpec, ConnectorStatus>;
export type Credential = SwitchboardObject<"Credential", CredentialSpec, CredentialStatus>;
export type IntegrationPolicy = SwitchboardObject<
  "IntegrationPolicy",
  IntegrationPolicySpec,
  IntegrationPolicyStatus
>;
/** Either connector kind: they share one spec. */
export type AnyConnector = ClusterConnector | Connector;
