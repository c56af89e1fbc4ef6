import type { AuthenticatorOptions, RequestAuthenticator } from "./request-authenticator.js";
import { secretValue } from "./secret-value.js";

/** An API key in a header or a query parameter, where the Credential says, else where the scheme says. */
export function apiKeyAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const placement = options.credential.spec.apiKey ??
    options.scheme.apiKey ?? { in: "header", name: "X-Api-Key" };
  const key = secretValue(options.credential, "apiKey");
  const value = `${placement.prefix ?? ""}${key}`;
  return {
    authenticate: (request) => {
      if (placement.in === "query") request.url.searchParams.set(placement.name, value);
      else request.headers[placement.name.toLowerCase()] = value;
      return Promise.resolve();
    },
  };
}

export function bearerAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const header = `Bearer ${secretValue(options.credential, "token")}`;
  return {
    authenticate: (request) => {
      request.headers.authorization = header;
      return Promise.resolve();
    },
  };
}

export function basicAuthenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const user = secretValue(options.credential, "username");
  const password = secretValue(options.credential, "password");
  const header = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  return {
    authenticate: (request) => {
      request.headers.authorization = header;
      return Promise.resolve();
    },
  };
}
