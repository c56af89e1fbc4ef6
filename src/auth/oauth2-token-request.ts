import type { Dispatcher } from "undici";
import { fetch } from "undici";

export interface ClientCredentialsRequest {
  tokenURL: string;
  clientId: string;
  clientSecret: string;
  scopes?: readonly string[];
  audience?: string;
  /** More form parameters, e.g. `resource`. */
  parameters?: Record<string, string>;
  /** @default "client-secret-basic" */
  clientAuthentication?: "client-secret-basic" | "client-secret-post";
  timeoutMs: number;
  /** A TLS-configured dispatcher, e.g. one that trusts a private CA. */
  dispatcher?: Dispatcher;
}

export type TokenResponse =
  | {
      ok: true;
      accessToken: string;
      /** A new refresh token, when the endpoint rotates them. */
      refreshToken: string | undefined;
      tokenType: string;
      /** Seconds the token lives, when the endpoint says. */
      expiresIn: number | undefined;
      latencyMs: number;
    }
  | {
      ok: false;
      /** `rejected`: the endpoint answered and refused; `unreachable`: no usable answer (network, timeout, 5xx). */
      failure: "rejected" | "unreachable";
      /** What went wrong, fit for a condition or an event: never the secret or a token. */
      message: string;
      status: number | undefined;
      latencyMs: number;
    };

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4): one token request, with the client
 * authenticated by HTTP basic auth (id and secret form-encoded first, as section 2.3.1 says) or by form
 * parameters. Errors are described from the endpoint's `error` and `error_description` (section 5.2),
 * with the client secret taken out should an endpoint echo it.
 */
export async function requestClientCredentialsToken(
  request: ClientCredentialsRequest,
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (request.scopes && request.scopes.length > 0) form.set("scope", request.scopes.join(" "));
  if (request.audience) form.set("audience", request.audience);
  for (const [key, value] of Object.entries(request.parameters ?? {})) form.set(key, value);
  return postTokenRequest(request, form);
}

/**
 * One request to a token endpoint with the given grant form, the client authenticated as asked, or
 * only named (a public client, a JWT assertion grant) when `clientSecret` is empty.
 */
export async function postTokenRequest(
  request: Omit<ClientCredentialsRequest, "scopes" | "audience" | "parameters">,
  form: URLSearchParams,
): Promise<TokenResponse> {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
  };
  if (request.clientSecret === "") {
    if (request.clientId) form.set("client_id", request.clientId);
  } else if ((request.clientAuthentication ?? "client-secret-basic") === "client-secret-basic") {
    const credentials = `${formEncode(request.clientId)}:${formEncode(request.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  } else {
    form.set("client_id", request.clientId);
    form.set("client_secret", request.clientSecret);
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const redact = (text: string) =>
    (request.clientSecret ? text.split(request.clientSecret).join("[redacted]") : text).slice(0, 300);
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(request.tokenURL, {
      method: "POST",
      headers,
      body: form.toString(),
      signal: AbortSignal.timeout(request.timeoutMs),
      ...(request.dispatcher ? { dispatcher: request.dispatcher } : {}),
    });
  } catch (error) {
    const cause = describeNetworkError(error, request.timeoutMs);
    return {
      ok: false,
      failure: "unreachable",
      message: redact(`token endpoint ${request.tokenURL} unreachable: ${cause}`),
      status: undefined,
      latencyMs: elapsed(),
    };
  }
  const text = await response.text().catch(() => "");
  const body = parseJson(text);
  if (!response.ok) {
    const error = typeof body?.error === "string" ? body.error : undefined;
    const description = typeof body?.error_description === "string" ? body.error_description : undefined;
    const detail = [error, description].filter(Boolean).join(": ");
    return {
      ok: false,
      failure: response.status >= 500 || response.status === 429 ? "unreachable" : "rejected",
      message: redact(
        `token endpoint ${request.tokenURL} answered ${response.status}${detail ? ` ${detail}` : ""}`,
      ),
      status: response.status,
      latencyMs: elapsed(),
    };
  }
  if (typeof body?.access_token !== "string" || body.access_token === "") {
    return {
      ok: false,
      failure: "rejected",
      message: `token endpoint ${request.tokenURL} answered ${response.status} without an access_token`,
      status: response.status,
      latencyMs: elapsed(),
    };
  }
  const expiresIn = Number(body.expires_in);
  return {
    ok: true,
    accessToken: body.access_token,
    refreshToken:
      typeof body.refresh_token === "string" && body.refresh_token !== "" ? body.refresh_token : undefined,
    tokenType: typeof body.token_type === "string" ? body.token_type : "Bearer",
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
    latencyMs: elapsed(),
  };
}

/** application/x-www-form-urlencoded, as RFC 6749 appendix B asks for client ids and secrets. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
    return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
  return error instanceof Error ? error.message : String(error);
}
