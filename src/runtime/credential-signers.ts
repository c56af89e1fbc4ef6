import { join } from "node:path";
import type { Dispatcher } from "undici";
import type { ConnectorSpec, CredentialSpec } from "../api/types.js";
import { FileRefreshTokenStore } from "../auth/refresh-token-store.js";
import { createAuthenticator } from "../auth/request-authenticator.js";
import type { RequestSigner } from "./actions/action-executor.js";

/**
 * A signer for each of the connector's auth schemes the Credential can serve (its type matches),
 * built from the Credential's spec and the values of its mounted Secret. A rotated refresh token is
 * kept beside the journal, on the pod's volume.
 */
export function credentialSigners(options: {
  connector: ConnectorSpec;
  credential: CredentialSpec | undefined;
  values: Map<string, string>;
  config: Record<string, unknown>;
  stateDir: string;
  dispatcher?: Dispatcher;
  timeoutMs: number;
  onTokenRequest?: (scheme: string, ok: boolean) => void;
}): Map<string, RequestSigner> {
  const signers = new Map<string, RequestSigner>();
  if (!options.credential) return signers;
  for (const scheme of options.connector.auth ?? []) {
    if (scheme.type !== options.credential.type) continue;
    signers.set(
      scheme.name,
      createAuthenticator({
        scheme,
        credential: {
          type: options.credential.type,
          values: Object.fromEntries(options.values),
          spec: options.credential,
        },
        config: options.config,
        store: new FileRefreshTokenStore(join(options.stateDir, `refresh-token-${scheme.name}`)),
        timeoutMs: options.timeoutMs,
        ...(options.onTokenRequest
          ? { onTokenRequest: (ok: boolean) => options.onTokenRequest?.(scheme.name, ok) }
          : {}),
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      }),
    );
  }
  return signers;
}
