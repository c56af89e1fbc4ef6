import { Agent, fetch } from "undici";
import type { Dispatcher } from "undici";
import type { EgressRules } from "./egress-guard.js";
import { checkURL, EgressDeniedError, guardedLookup } from "./egress-guard.js";

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: string;
}

const maxRedirects = 5;

/**
 * The runtime's only way out: undici with the egress rules applied to the URL, to every address a
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
      const response = await fetch(url, {
        method,
        headers: request.headers,
        redirect: "manual",
        signal: combined,
        dispatcher: this.#dispatcher,
        ...(body !== undefined ? { body } : {}),
      }).catch((error: unknown) => {
        throw unwrapEgress(error) ?? error;
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location && response.status !== 304) {
        await response.body?.cancel();
        if (hop >= maxRedirects)
          throw new Error(`more than ${maxRedirects} redirects from ${request.url.host}`);
        url = new URL(location, url);
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === "POST")
        ) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      return {
        status: response.status,
        headers: response.headers as unknown as Headers,
        body: await response.text(),
      };
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
