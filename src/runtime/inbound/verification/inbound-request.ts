/** A webhook delivery as received, before any parsing beyond headers. */
export interface InboundRequest {
  method: string;
  /** The URL the sender called, absolute, for schemes that sign it (twilio). */
  url: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export type VerificationFailure =
  "missing-signature" | "malformed-signature" | "bad-signature" | "stale-timestamp" | "unauthorized";

export type VerificationResult = { ok: true } | { ok: false; reason: VerificationFailure; message: string };

export const verified: VerificationResult = { ok: true };

export function failed(reason: VerificationFailure, message: string): VerificationResult {
  return { ok: false, reason, message };
}

export function header(request: InboundRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
