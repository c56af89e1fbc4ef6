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

export type * from "./generated/types.js";

/** A Switchboard object: its kind's spec and status on a Kubernetes object. */
interface SwitchboardObject<Kind extends string, Spec, Status> extends KubeObject {
  apiVersion: "switchboard.dev/v1alpha1";
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
