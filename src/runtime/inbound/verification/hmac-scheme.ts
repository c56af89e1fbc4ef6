import type { HMACSignature } from "../../../api/types.js";
import { decodeSignature, hmac, sameBytes } from "./constant-time.js";
import type { InboundRequest, VerificationResult } from "./inbound-request.js";
import { failed, header, verified } from "./inbound-request.js";
import { checkTimestamp } from "./timestamp-window.js";

/**
 * The signed content of a request, from the connector's template: `{body}` byte for byte,
 * `{timestamp}`, `{id}`, `{url}`, `{method}`, `{path}` and `{header.<Name>}`.
 */
export function signedContent(
  template: string,
  request: InboundRequest,
  values: { timestamp?: string; id?: string },
): Buffer {
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{(body|timestamp|id|url|method|path|header\.[A-Za-z0-9-]+)\}/g)) {
    parts.push(Buffer.from(template.slice(last, match.index)));
    const name = match[1] ?? "";
    if (name === "body") parts.push(request.rawBody);
    else {
      const url = new URL(request.url);
      const value =
        name === "timestamp"
          ? values.timestamp
          : name === "id"
            ? values.id
            : name === "url"
              ? request.url
              : name === "method"
                ? request.method
                : name === "path"
                  ? url.pathname + url.search
                  : header(request, name.slice("header.".length));
      parts.push(Buffer.from(value ?? ""));
    }
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(Buffer.from(template.slice(last)));
  return Buffer.concat(parts);
}

/** The generic HMAC scheme, as the connector parameterizes it. */
export function verifyHmac(
  settings: HMACSignature,
  secrets: readonly string[],
  request: InboundRequest,
  now: Date,
  toleranceSeconds: number,
  context: { deliveryId?: string } = {},
): VerificationResult {
  const received = header(request, settings.header);
  if (received === undefined) return failed("missing-signature", `header ${settings.header} is missing`);
  let timestamp: string | undefined;
  if (settings.timestampHeader) {
    timestamp = header(request, settings.timestampHeader);
    const problem = checkTimestamp(timestamp, `header ${settings.timestampHeader}`, toleranceSeconds, now);
    if (problem) return problem;
  }
  const prefix = settings.prefix ?? "";
  if (!received.startsWith(prefix))
    return failed("malformed-signature", `header ${settings.header} does not start with "${prefix}"`);
  const signature = decodeSignature(received.slice(prefix.length).trim(), settings.encoding ?? "hex");
  if (!signature)
    return failed("malformed-signature", `header ${settings.header} is not ${settings.encoding ?? "hex"}`);
  const content = signedContent(settings.signedContent ?? "{body}", request, {
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(context.deliveryId !== undefined ? { id: context.deliveryId } : {}),
  });
  const algorithm = settings.algorithm ?? "sha256";
  return secrets.some((secret) => sameBytes(hmac(algorithm, secret, content), signature))
    ? verified
    : failed(
        "bad-signature",
        `header ${settings.header} does not match the body signed with any current secret`,
      );
}
