import { Agent } from "undici";
import type { Dispatcher } from "undici";
import type { EgressRules } from "./egress-guard.js";
import { checkURL, EgressDeniedError, guardedLookup } from "./egress-guard.js";

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Response headers by case-insensitive name, as `Headers.get` answers. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

const maxRedirects = 5;

/**
 * The runtime's only way out: undici's request API (lighter than its fetch) with the egress rules applied to the URL, to every address a
 * name resolves to, and again to each redirect; a timeout per attempt.
 */
export class HttpClient {
  readonly #rules: EgressRules;
  readonly #dispatcher: Dispatcher;

  constructor(rules: EgressRules, options: { ca?: string[] } = {}) {
    this.#rules = rules;
    this.#dispatcher = new Agent({
      connect: { lookup: guardedLookup(rules), ...(options.ca ? { ca: options.ca } : {}) },
      keepAliveTimeout: 30_000,
    });
  }

  get dispatcher(): Dispatcher {
    return this.#dispatcher;
  }

  async send(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let url = request.url;
    let method = request.method;
    let body = request.body;
    for (let hop = 0; ; hop++) {
      checkURL(url, this.#rules);
      const response = await this.#dispatcher
        .request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: method,
          headers: request.headers,
          signal: combined,
          ...(body !== undefined ? { body } : {}),
        })
        .catch((error: unknown) => {
          throw unwrapEgress(error) ?? error;
        });
      const headers = responseHeaders(response.headers);
      const location = headers.get("location");
      const status = response.statusCode;
      if (status >= 300 && status < 400 && location && status !== 304) {
        await response.body.dump();
        if (hop >= maxRedirects)
          throw new Error(`more than ${maxRedirects} redirects from ${request.url.host}`);
        url = new URL(location, url);
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      return { status, headers, body: await response.body.text() };
    }
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }
}

function unwrapEgress(error: unknown): EgressDeniedError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof EgressDeniedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
