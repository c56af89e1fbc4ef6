import type { Dispatcher } from "undici";
import type { AuthScheme, CredentialSpec } from "../api/types.js";
import type { CredentialType } from "../api/schema/enumerations.js";
import { apiKeyAuthenticator, basicAuthenticator, bearerAuthenticator } from "./static-authenticators.js";
import { awsSigV4Authenticator } from "./aws-sigv4-authenticator.js";
import { googleServiceAccountAuthenticator } from "./google-service-account-authenticator.js";
import { hmacRequestSigner } from "./hmac-request-signer.js";
import { clientCredentialsAuthenticator, refreshTokenAuthenticator } from "./oauth2-authenticators.js";
import type { RefreshTokenStore } from "./refresh-token-store.js";

/** An outbound request being built; authenticators add to its headers or URL in place. */
export interface OutboundRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RequestAuthenticator {
  authenticate(request: OutboundRequest, signal?: AbortSignal): Promise<void>;
  /** After a 401: drop cached tokens so the next request gets a fresh one. */
  invalidate?(): void;
}

/** A Credential as the runtime has it: its spec and its Secret's values, by key. */
export interface CredentialMaterial {
  type: CredentialType;
  values: Record<string, string>;
  spec: CredentialSpec;
}

export interface AuthenticatorOptions {
  scheme: AuthScheme;
  credential: CredentialMaterial;
  /** The Integration's config, for templates such as `https://{config.domain}/oauth2/v1/token`. */
  config: Record<string, unknown>;
  dispatcher?: Dispatcher;
  /** Where a rotated refresh token is kept. */
  store?: RefreshTokenStore;
  now?: () => number;
  /** How long a token request may take. @default 10000 */
  timeoutMs?: number;
  /** Told of each token request (OAuth 2.0, Google) and whether it succeeded. */
  onTokenRequest?: (ok: boolean) => void;
}

/** The authenticator of a connector's auth scheme, for the Credential's type. */
export function createAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  switch (options.credential.type) {
    case "api-key":
      return apiKeyAuthenticator(options);
    case "bearer":
      return bearerAuthenticator(options);
    case "basic":
      return basicAuthenticator(options);
    case "oauth2-client-credentials":
      return clientCredentialsAuthenticator(options);
    case "oauth2-refresh-token":
      return refreshTokenAuthenticator(options);
    case "aws-sigv4":
      return awsSigV4Authenticator(options);
    case "google-service-account":
      return googleServiceAccountAuthenticator(options);
    case "hmac":
      return hmacRequestSigner(options);
  }
}
