/**
 * Condition types and reasons Switchboard writes, beside the API types as Flux keeps them. Types follow
 * the Kubernetes conventions kstatus reads: `Ready`, plus `Reconciling` and `Stalled` while they apply.
 */
export const ConditionType = {
  Ready: "Ready",
  Reconciling: "Reconciling",
  Stalled: "Stalled",
  /** On an Integration whose connector version is deprecated. */
  Deprecated: "Deprecated",
} as const;

export const Reason = {
  Succeeded: "Succeeded",
  Progressing: "Progressing",
  InvalidSpec: "InvalidSpec",
  ConnectorNotFound: "ConnectorNotFound",
  NoMatchingVersion: "NoMatchingVersion",
  ConnectorDeprecated: "ConnectorDeprecated",
  InvalidConfig: "InvalidConfig",
  CredentialNotFound: "CredentialNotFound",
  CredentialNotReady: "CredentialNotReady",
  CredentialTypeNotAccepted: "CredentialTypeNotAccepted",
  SecretNotFound: "SecretNotFound",
  SecretKeyMissing: "SecretKeyMissing",
  TokenRequestFailed: "TokenRequestFailed",
  Expiring: "Expiring",
  DeploymentNotReady: "DeploymentNotReady",
  Suspended: "Suspended",
  PolicyViolation: "PolicyViolation",
} as const;
