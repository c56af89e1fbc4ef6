import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { kinds } from "../../api/group.js";
import { auditEvent } from "../audit/audit-event.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { AdmissionMetrics } from "./admission-metrics.js";
import type { AdmissionRequest } from "./admission-review.js";
import { admissionResponse, parseAdmissionReview } from "./admission-review.js";
import type { AdmissionDecision } from "./review-object.js";

export interface AdmissionServerOptions {
  port: number;
  host?: string;
  /** PEM files, read again when they change: a rotated certificate is served without a restart. */
  tls: { certFile: string; keyFile: string };
  review: (request: AdmissionRequest) => Promise<AdmissionDecision>;
  metrics: AdmissionMetrics;
  audit?: AuditLog;
  log: Logger;
  /** How often the certificate files are checked for a change. @default 5000 */
  reloadIntervalMs?: number;
}

/** kube-apiserver sends at most 3 MiB objects; an AdmissionReview carries two, and some envelope. */
const bodyLimit = 7 * 1024 * 1024;

/**
 * The admission webhook over HTTPS: `POST /validate` answers AdmissionReview v1. Whatever arrives, it
 * answers with an AdmissionReview: malformed or oversized bodies are denied naming what is wrong, an
 * internal failure is a denial too (fail closed), and the process keeps serving.
 */
export async function startAdmissionServer(
  options: AdmissionServerOptions,
): Promise<{ port: number; reload: () => Promise<void>; close: () => Promise<void> }> {
  const { tls } = options;
  const read = async () => ({
    cert: await readFile(tls.certFile, "utf8"),
    key: await readFile(tls.keyFile, "utf8"),
  });
  const server: Server = createServer(await read(), (request, response) => {
    void handle(options, request, response);
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  let stamp = await certificateStamp(tls.certFile);
  const reload = async (): Promise<void> => {
    const next = await certificateStamp(tls.certFile);
    if (next === stamp) return;
    try {
      server.setSecureContext(await read());
      // Kept-alive connections go on with the old certificate; idle ones close so clients reconnect.
      server.closeIdleConnections();
      stamp = next;
      options.log.info({ certFile: tls.certFile }, "serving certificate reloaded");
    } catch (error) {
      options.log.warn(
        { err: error },
        "the serving certificate changed but could not be loaded; keeping the old one",
      );
    }
  };
  const timer = setInterval(() => void reload(), options.reloadIntervalMs ?? 5_000);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    reload,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function certificateStamp(file: string): Promise<string> {
  const info = await stat(file);
  return `${info.mtimeMs}:${info.size}:${info.ino}`;
}

async function handle(
  options: AdmissionServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
  if (request.method === "GET" && (path === "/healthz" || path === "/readyz")) {
    response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    return;
  }
  const deny = (
    status: number,
    uid: string,
    message: string,
    decision: string,
    kind = "unknown",
    operation = "unknown",
  ) => {
    options.metrics.requests.inc({ kind, operation, decision });
    send(
      response,
      status,
      admissionResponse(uid, {
        allowed: false,
        code: status === 200 ? 400 : status,
        reason: "BadRequest",
        message,
        warnings: [],
      }),
    );
  };
  if (request.method !== "POST" || !path.startsWith("/validate")) {
    deny(404, "", `${request.method ?? ""} ${path}: the webhook answers POST /validate`, "malformed");
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(request);
  } catch (error) {
    deny(413, "", (error as Error).message, "malformed");
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    deny(400, "", `the body is not JSON: ${(error as Error).message}`, "malformed");
    return;
  }
  const review = parseAdmissionReview(parsed);
  if ("problem" in review) {
    deny(200, review.uid, `malformed AdmissionReview: ${review.problem}`, "malformed");
    return;
  }
  const kind = review.kind.kind;
  const objectKind = (review.object ?? review.oldObject)?.kind;
  if (!(kinds as readonly string[]).includes(kind) || (objectKind !== undefined && objectKind !== kind)) {
    deny(
      200,
      review.uid,
      `this webhook reviews Switchboard's kinds (${kinds.join(", ")}), not ${objectKind ?? kind}${objectKind && objectKind !== kind ? ` sent as ${kind}` : ""}: check the webhook configuration's rules`,
      "malformed",
      "unknown",
      review.operation,
    );
    return;
  }
  let decision: AdmissionDecision;
  try {
    decision = await options.review(review);
  } catch (error) {
    options.log.error({ err: error, uid: review.uid, kind }, "admission review failed");
    decision = {
      allowed: false,
      code: 500,
      message: `the Switchboard webhook could not review the request: ${(error as Error).message}`,
      warnings: [],
      violations: [],
    };
  }
  send(response, 200, admissionResponse(review.uid, decision));
  const outcome = decision.allowed
    ? "allowed"
    : decision.code === 400
      ? "invalid"
      : decision.code === 500
        ? "error"
        : "denied";
  options.metrics.requests.inc({ kind, operation: review.operation, decision: outcome });
  options.metrics.duration.observe({ kind }, (performance.now() - started) / 1000);
  for (const v of decision.violations)
    options.metrics.violations.inc({ policy: v.policy, rule: v.rule, enforcement: v.enforcement });
  const object = review.object ?? review.oldObject;
  options.audit?.record(
    auditEvent({
      operation: review.operation,
      service: "admission",
      actor: review.userInfo.username ?? "unknown",
      ...(review.userInfo.groups ? { groups: review.userInfo.groups } : {}),
      resource: { type: kind, name: object?.metadata.name ?? review.name ?? "", namespace: review.namespace },
      allowed: decision.allowed,
      message: decision.allowed ? `${review.operation} ${kind} allowed` : (decision.message ?? "denied"),
      details: {
        decision: outcome,
        dryRun: review.dryRun,
        ...(decision.violations.length > 0
          ? {
              violations: decision.violations.map((v) => ({
                policy: v.policy,
                rule: v.rule,
                enforcement: v.enforcement,
                field: v.field,
              })),
            }
          : {}),
      },
    }),
  );
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit) {
        reject(new Error(`the body is over ${bodyLimit} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
    .end(text);
}
