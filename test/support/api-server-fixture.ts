import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import type { EmbeddedApiServerOptions, RunningApiServer } from "../../src/apiserver/embedded-api-server.js";
import { EmbeddedApiServer } from "../../src/apiserver/embedded-api-server.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface ApiServerFixture {
  server: EmbeddedApiServer;
  running: RunningApiServer;
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  /** One HTTP request with the server's CA and token; `headers.authorization: ""` sends none. */
  raw(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  close(): Promise<void>;
}

/** Starts an embedded API server over TLS on a free port, with a kubeconfig file for clients. */
export async function startApiServer(options: EmbeddedApiServerOptions = {}): Promise<ApiServerFixture> {
  const server = new EmbeddedApiServer(options);
  const running = await server.start();
  const dir = await mkdtemp(join(tmpdir(), "switchboard-apiserver-"));
  const kubeconfigPath = join(dir, "kubeconfig");
  await writeFile(kubeconfigPath, running.kubeconfig, { mode: 0o600 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(running.kubeconfig);
  const raw = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, running.url);
      const payload =
        body === undefined
          ? undefined
          : typeof body === "string" || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body);
      const allHeaders: Record<string, string> = {
        authorization: `Bearer ${running.token}`,
        ...(payload !== undefined
          ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }
          : {}),
        ...headers,
      };
      if (allHeaders.authorization === "") delete allHeaders.authorization;
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        url,
        { method, headers: allHeaders, ...(running.caPem ? { ca: running.caPem } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  return {
    server,
    running,
    kubeconfigPath,
    kubeConfig,
    raw,
    close: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
