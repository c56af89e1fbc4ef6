import aws4 from "aws4";
import type { AuthenticatorOptions, RequestAuthenticator } from "./request-authenticator.js";
import { optionalSecretValue, renderConfigTemplate, secretValue } from "./secret-value.js";

/**
 * AWS Signature Version 4 with the `aws4` library: the service from the connector's scheme, the region
 * from the Credential or the scheme (a template over config), a session token when the keys are
 * temporary. Each request is signed as it goes, body included.
 */
export function awsSigV4Authenticator(options: AuthenticatorOptions): RequestAuthenticator {
  const service = options.scheme.aws?.service;
  if (!service) throw new Error(`auth scheme "${options.scheme.name}": aws-sigv4 needs aws.service`);
  const region =
    options.credential.spec.aws?.region ??
    (options.scheme.aws?.region
      ? renderConfigTemplate(options.scheme.aws.region, options.config)
      : undefined);
  if (!region)
    throw new Error(
      `auth scheme "${options.scheme.name}": no region (set spec.aws.region on the Credential)`,
    );
  const credentials = {
    accessKeyId: secretValue(options.credential, "accessKeyId"),
    secretAccessKey: secretValue(options.credential, "secretAccessKey"),
    ...(optionalSecretValue(options.credential, "sessionToken")
      ? { sessionToken: optionalSecretValue(options.credential, "sessionToken") as string }
      : {}),
  };
  return {
    authenticate: (request) => {
      const signed = aws4.sign(
        {
          host: request.url.host,
          path: request.url.pathname + request.url.search,
          method: request.method,
          service,
          region,
          headers: { ...request.headers },
          ...(request.body !== undefined ? { body: request.body } : {}),
        },
        credentials,
      );
      for (const [name, value] of Object.entries(signed.headers ?? {}))
        if (typeof value === "string" || typeof value === "number")
          request.headers[name.toLowerCase()] = String(value);
      return Promise.resolve();
    },
  };
}
