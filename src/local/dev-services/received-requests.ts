import type { IncomingHttpHeaders } from "node:http";

export interface ReceivedRequest {
  at: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when it is JSON, else the text. */
  body: unknown;
}

/** The last requests a dev service received, newest last, bounded so a busy sink cannot fill memory. */
export class ReceivedRequests {
  readonly #items: ReceivedRequest[] = [];
  constructor(readonly capacity = 200) {}

  add(request: ReceivedRequest): void {
    this.#items.push(request);
    if (this.#items.length > this.capacity) this.#items.shift();
  }

  list(filter: (request: ReceivedRequest) => boolean = () => true): ReceivedRequest[] {
    return this.#items.filter(filter);
  }
}

export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString("utf8");
  if (/json/i.test(contentType ?? "")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
