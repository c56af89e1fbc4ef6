import { importPKCS8, SignJWT } from "jose";
import { postTokenRequest } from "./oauth2-token-request.js";
import type { AuthenticatorOptions, RequestAuthenticator } from "./request-authenticator.js";
import { secretValue } from "./secret-value.js";
import { TokenCache } from "./token-cache.js";

interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

/**
 * Google service accounts: an RS256 JWT assertion signed with the key file's private key (jose),
 * exchanged at the key's token URI for an access token (RFC 7523), cached and renewed before expiry.
 */
export function googleServiceAccountAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  let key: ServiceAccountKey;
  try {
    key = JSON.parse(secretValue(options.credential, "serviceAccountKey")) as ServiceAccountKey;
  } catch (error) {
    throw new Error(
      `the service account key in Secret "${options.credential.spec.secretRef.name}" is not JSON`,
      {
        cause: error,
      },
    );
  }
  if (!key.client_email || !key.private_key)
    throw new Error(
      `the service account key in Secret "${options.credential.spec.secretRef.name}" lacks client_email or private_key`,
    );
  const tokenURI = key.token_uri ?? "https://oauth2.googleapis.com/token";
  const scopes = options.credential.spec.google?.scopes ??
    options.scheme.scopes ?? ["https://www.googleapis.com/auth/cloud-platform"];
  const now = options.now ?? Date.now;
  const signingKey = importPKCS8(key.private_key, "RS256");
  const cache = new TokenCache(
    async () => {
      const issuedAt = Math.floor(now() / 1000);
      const assertion = await new SignJWT({ scope: scopes.join(" ") })
        .setProtectedHeader({
          alg: "RS256",
          typ: "JWT",
          ...(key.private_key_id ? { kid: key.private_key_id } : {}),
        })
        .setIssuer(key.client_email)
        .setAudience(tokenURI)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 3600)
        .sign(await signingKey);
      const answer = await postTokenRequest(
        {
          tokenURL: tokenURI,
          clientId: "",
          clientSecret: "",
          timeoutMs: options.timeoutMs ?? 10_000,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        },
        new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      );
      if (!answer.ok) throw new Error(answer.message);
      return { value: answer.accessToken, expiresIn: answer.expiresIn };
    },
    now,
    options.onTokenRequest,
  );
  return {
    authenticate: async (request) => {
      request.headers.authorization = `Bearer ${await cache.get()}`;
    },
    invalidate: () => cache.invalidate(),
  };
}
