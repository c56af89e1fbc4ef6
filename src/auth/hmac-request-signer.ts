import { createHmac } from "node:crypto";
import type { AuthenticatorOptions, RequestAuthenticator } from "./request-authenticator.js";
import { secretValue } from "./secret-value.js";

/**
 * HMAC request signing where a vendor requires it, as the scheme's `hmac` says: the signed content
 * template (`{body}`, `{timestamp}`, `{method}`, `{path}`, `{url}`), the hash, the header, its prefix
 * and encoding, and a timestamp header when the content includes the time.
 */
export function hmacRequestSigner(options: AuthenticatorOptions): RequestAuthenticator {
  const settings = options.scheme.hmac;
  if (!settings)
    throw new Error(
      `auth scheme "${options.scheme.name}": an hmac credential needs the scheme's hmac settings`,
    );
  const secret = secretValue(options.credential, "secret");
  const now = options.now ?? Date.now;
  return {
    authenticate: (request) => {
      const timestamp = String(Math.floor(now() / 1000));
      const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
      const parts: Buffer[] = [];
      let last = 0;
      const template = settings.signedContent ?? "{body}";
      for (const match of template.matchAll(/\{(body|timestamp|method|path|url)\}/g)) {
        parts.push(Buffer.from(template.slice(last, match.index)));
        const name = match[1];
        parts.push(
          name === "body"
            ? body
            : Buffer.from(
                name === "timestamp"
                  ? timestamp
                  : name === "method"
                    ? request.method
                    : name === "path"
                      ? request.url.pathname + request.url.search
                      : request.url.toString(),
              ),
        );
        last = (match.index ?? 0) + match[0].length;
      }
      parts.push(Buffer.from(template.slice(last)));
      const signature = createHmac(settings.algorithm ?? "sha256", secret)
        .update(Buffer.concat(parts))
        .digest(settings.encoding ?? "hex");
      request.headers[settings.header.toLowerCase()] = `${settings.prefix ?? ""}${signature}`;
      if (settings.timestampHeader) request.headers[settings.timestampHeader.toLowerCase()] = timestamp;
      return Promise.resolve();
    },
  };
}
