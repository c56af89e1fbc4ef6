/**
 * Condition types and reasons Switchboard writes, kept beside the API types as Flux keeps them. The
 * types follow the conventions kstatus reads: `Ready`, plus `Reconciling` and `Stalled` while they
 * apply. Reasons are CamelCase, as metav1.Condition requires, and name the first problem found.
 */
export const ConditionType = {
  Ready: "Ready",
  /** True while the controller works toward a new generation or state. */
  Reconciling: "Reconciling",
  /** True when progress needs a person: the spec or a dependency is wrong, retrying will not help. */
  Stalled: "Stalled",
  /** On an Integration: the connector version it resolved to is deprecated. */
  Deprecated: "Deprecated",
} as const;
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

export const ConditionStatus = { True: "True", False: "False", Unknown: "Unknown" } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

export const Reason = {
  // Any kind.
  Succeeded: "Succeeded",
  Progressing: "Progressing",
  /** A transient failure; the controller retries with backoff. */
  ReconcileFailed: "ReconcileFailed",
  /** The spec passes the schema but not the controller's own checks. */
  InvalidSpec: "InvalidSpec",
  Suspended: "Suspended",
  PolicyViolation: "PolicyViolation",

  // Connectors.
  InvalidExpression: "InvalidExpression",
  InvalidTemplate: "InvalidTemplate",
  InvalidConfigSchema: "InvalidConfigSchema",
  UnknownAuthScheme: "UnknownAuthScheme",
  /** The definition changed but its version did not; versions are immutable. */
  VersionModified: "VersionModified",
  VersionInUse: "VersionInUse",

  // Integrations.
  ConnectorNotFound: "ConnectorNotFound",
  ConnectorNotReady: "ConnectorNotReady",
  NoMatchingVersion: "NoMatchingVersion",
  ConnectorDeprecated: "ConnectorDeprecated",
  CustomConnectorNotAllowed: "CustomConnectorNotAllowed",
  InvalidConfig: "InvalidConfig",
  UnknownAction: "UnknownAction",
  CredentialNotFound: "CredentialNotFound",
  CredentialNotReady: "CredentialNotReady",
  CredentialTypeNotAccepted: "CredentialTypeNotAccepted",
  WebhookSecretNotFound: "WebhookSecretNotFound",
  ApplyFailed: "ApplyFailed",
  DeploymentNotReady: "DeploymentNotReady",

  // Credentials.
  SecretNotFound: "SecretNotFound",
  SecretKeyMissing: "SecretKeyMissing",
  Verified: "Verified",
  TokenRequestFailed: "TokenRequestFailed",
  TokenEndpointUnreachable: "TokenEndpointUnreachable",
  /** Ready, but the credential expires soon: a Warning event says when. */
  Expiring: "Expiring",
  Expired: "Expired",

  // IntegrationPolicies.
  InvalidRule: "InvalidRule",
  AuditSucceeded: "AuditSucceeded",
  AuditFailed: "AuditFailed",
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];
