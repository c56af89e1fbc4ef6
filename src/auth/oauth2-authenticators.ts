import type { TokenResponse } from "./oauth2-token-request.js";
import { postTokenRequest, requestClientCredentialsToken } from "./oauth2-token-request.js";
import type { AuthenticatorOptions, RequestAuthenticator } from "./request-authenticator.js";
import { optionalSecretValue, renderConfigTemplate, secretValue } from "./secret-value.js";
import type { IssuedToken } from "./token-cache.js";
import { TokenCache } from "./token-cache.js";

function tokenURL(options: AuthenticatorOptions): string {
  const url = options.credential.spec.oauth2?.tokenURL ?? options.scheme.tokenURL;
  if (!url)
    throw new Error(
      `auth scheme "${options.scheme.name}": no token endpoint (set spec.oauth2.tokenURL on the Credential)`,
    );
  return renderConfigTemplate(url, options.config);
}

function issued(answer: TokenResponse): IssuedToken {
  if (!answer.ok) throw new Error(answer.message);
  return { value: answer.accessToken, expiresIn: answer.expiresIn };
}

function bearer(cache: TokenCache): RequestAuthenticator {
  return {
    authenticate: async (request) => {
      request.headers.authorization = `Bearer ${await cache.get()}`;
    },
    invalidate: () => cache.invalidate(),
  };
}

/** OAuth 2.0 client credentials: one cached token per Credential and scopes, renewed before it expires. */
export function clientCredentialsAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const oauth2 = options.credential.spec.oauth2;
  const url = tokenURL(options);
  const clientId = secretValue(options.credential, "clientId");
  const clientSecret = secretValue(options.credential, "clientSecret");
  const scopes = oauth2?.scopes ?? options.scheme.scopes;
  const audience = oauth2?.audience ?? options.scheme.audience;
  const cache = new TokenCache(
    async () =>
      issued(
        await requestClientCredentialsToken({
          tokenURL: url,
          clientId,
          clientSecret,
          ...(scopes ? { scopes } : {}),
          ...(audience ? { audience } : {}),
          ...(oauth2?.parameters ? { parameters: oauth2.parameters } : {}),
          ...(oauth2?.clientAuthentication ? { clientAuthentication: oauth2.clientAuthentication } : {}),
          timeoutMs: options.timeoutMs ?? 10_000,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        }),
      ),
    options.now,
    options.onTokenRequest,
  );
  return bearer(cache);
}

/**
 * OAuth 2.0 refresh tokens: access tokens from the refresh token grant. When the endpoint rotates the
 * refresh token, the new one is written to the store before it is used, so a restart picks it up.
 */
export function refreshTokenAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const oauth2 = options.credential.spec.oauth2;
  const url = tokenURL(options);
  const clientId = secretValue(options.credential, "clientId");
  const clientSecret = optionalSecretValue(options.credential, "clientSecret") ?? "";
  const initial = secretValue(options.credential, "refreshToken");
  let current: string | undefined;
  const cache = new TokenCache(
    async () => {
      current ??= (await options.store?.load()) ?? initial;
      const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: current });
      const scopes = oauth2?.scopes ?? options.scheme.scopes;
      if (scopes && scopes.length > 0) form.set("scope", scopes.join(" "));
      for (const [key, value] of Object.entries(oauth2?.parameters ?? {})) form.set(key, value);
      const answer = await postTokenRequest(
        {
          tokenURL: url,
          clientId,
          clientSecret,
          ...(oauth2?.clientAuthentication ? { clientAuthentication: oauth2.clientAuthentication } : {}),
          timeoutMs: options.timeoutMs ?? 10_000,
          ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        },
        form,
      );
      if (answer.ok && answer.refreshToken && answer.refreshToken !== current) {
        await options.store?.save(answer.refreshToken);
        current = answer.refreshToken;
      }
      return issued(answer);
    },
    options.now,
    options.onTokenRequest,
  );
  return bearer(cache);
}
