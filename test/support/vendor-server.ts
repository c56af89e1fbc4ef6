import { createServer } from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface VendorRequest {
  at: number;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the vendor answers one request; `undefined` means 200 with `{"ok":true}`. */
export type VendorBehaviour = (
  request: VendorRequest,
) =>
  | { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number }
  | "hang-up"
  | undefined;

export interface VendorServer {
  url: string;
  requests: VendorRequest[];
  /** Distinct Idempotency-Key values answered with a 2xx: what the vendor accepted once each. */
  accepted: Set<string>;
  behave(behaviour: VendorBehaviour): void;
  close(): Promise<void>;
}

/** A vendor API over real HTTP for tests: records every request, answers as told. */
export async function startVendorServer(): Promise<VendorServer> {
  let behaviour: VendorBehaviour = () => undefined;
  const requests: VendorRequest[] = [];
  const accepted = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: VendorRequest = {
        at: Date.now(),
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(request);
      const answer = behaviour(request);
      if (answer === "hang-up") {
        req.socket.destroy();
        return;
      }
      const { status = 200, headers = {}, body = { ok: true }, delayMs = 0 } = answer ?? {};
      setTimeout(() => {
        if (status < 300) {
          const key = req.headers["idempotency-key"];
          if (typeof key === "string") accepted.add(key);
        }
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    accepted,
    behave: (next) => (behaviour = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
