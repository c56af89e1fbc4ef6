import { request } from "node:https";
import type { ApiServerFixture } from "./api-server-fixture.js";

export interface WatchEvent {
  type: string;

  object: any;
}

export interface OpenWatch {
  events: WatchEvent[];
  /** Resolves when at least `count` events have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** A raw watch over HTTPS that records every event line, for asserting on exactly what the server sends. */
export function openWatch(api: ApiServerFixture, path: string): Promise<OpenWatch> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, api.running.url);
    const events: WatchEvent[] = [];
    const waiters: (() => void)[] = [];
    let endResolve: () => void = () => {};
    const ended = new Promise<void>((r) => (endResolve = r));
    const req = request(
      url,
      { headers: { authorization: `Bearer ${api.running.token}` }, ca: api.running.caPem },
      (res) => {
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
          }
          for (const w of waiters.splice(0)) w();
        });
        res.on("end", () => endResolve());
        res.on("close", () => endResolve());
        resolve({
          events,
          ended,
          close: () => req.destroy(),
          waitFor: (count, timeoutMs = 5000) =>
            new Promise((ok, fail) => {
              const deadline = setTimeout(
                () =>
                  fail(
                    new Error(
                      `expected ${count} watch events, got ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`,
                    ),
                  ),
                timeoutMs,
              );
              const check = (): void => {
                if (events.length >= count) {
                  clearTimeout(deadline);
                  ok(events);
                } else waiters.push(check);
              };
              check();
            }),
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
