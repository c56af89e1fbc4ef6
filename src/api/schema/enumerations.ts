/**
 * The closed sets of values the schemas share. They are `as const` so that code can switch over them
 * with the same spelling the CRDs enforce.
 */

/** How a Credential authenticates; a connector's auth scheme names the type it takes. */
export const credentialTypes = [
  "oauth2-client-credentials",
  "oauth2-refresh-token",
  "api-key",
  "bearer",
  "basic",
  "hmac",
  "aws-sigv4",
  "google-service-account",
] as const;
export type CredentialType = (typeof credentialTypes)[number];

/** How an inbound webhook proves it comes from the vendor. */
export const verificationSchemes = [
  "hmac",
  "standard-webhooks",
  "stripe",
  "slack",
  "github",
  "twilio",
  "pagerduty",
  "token",
  "basic",
  "none",
] as const;
export type VerificationScheme = (typeof verificationSchemes)[number];

/** Subscription handshakes vendors perform before they send events. */
export const handshakeTypes = [
  "slack-url-verification",
  "msgraph-validation-token",
  "okta-verification-challenge",
  "echo",
] as const;
export type HandshakeType = (typeof handshakeTypes)[number];

export const connectorCategories = [
  "security",
  "identity",
  "cloud",
  "devops",
  "itops",
  "observability",
  "collaboration",
  "communications",
  "finance",
  "custom",
] as const;
export type ConnectorCategory = (typeof connectorCategories)[number];

/** From least to most trusted; `deprecated` stands apart and always warns its users. */
export const maturities = ["experimental", "beta", "stable", "deprecated"] as const;
export type Maturity = (typeof maturities)[number];

export const connectorKinds = ["ClusterConnector", "Connector"] as const;
export type ConnectorKind = (typeof connectorKinds)[number];

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export const hmacAlgorithms = ["sha1", "sha256", "sha512"] as const;
export const signatureEncodings = ["hex", "base64"] as const;
export const webhookContentTypes = ["json", "form"] as const;

/** Envelopes a flow can wrap an event in before its transform. */
export const normalizations = ["none", "cloudevents", "ocsf"] as const;
export type Normalization = (typeof normalizations)[number];

/** How an HTTP sink receives events. */
export const sinkModes = [
  "cloudevents-structured",
  "cloudevents-binary",
  "standard-webhooks",
  "json",
] as const;
export type SinkMode = (typeof sinkModes)[number];

export const enforcements = ["deny", "warn", "audit"] as const;
export type Enforcement = (typeof enforcements)[number];

/** The kinds an IntegrationPolicy rule can be checked on. */
export const governedKinds = ["Integration", "Connector", "ClusterConnector", "Credential"] as const;
