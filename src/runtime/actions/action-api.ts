import type { IncomingMessage, ServerResponse } from "node:http";
import { ExponentialBackoff, handleWhen, isBrokenCircuitError, retry } from "cockatiel";
import { sendJson, readJson } from "../http/json-response.js";
import { isRetryableError, VendorError } from "../outbound/failure-classification.js";
import type { ActionExecutor } from "./action-executor.js";
import { ActionInputError } from "./action-executor.js";
import type { Authorization } from "./caller-authorizer.js";

export interface ActionApiOptions {
  executor: ActionExecutor;
  authorize: (authorization: string | undefined) => Promise<Authorization>;
  openapi: Record<string, unknown>;
  /** Attempts per call, the first included, for failures worth retrying. @default 3 */
  maxAttempts?: number;
  observe: (action: string, outcome: "success" | "client-error" | "vendor-error") => void;
}

/**
 * `POST /actions/{name}` and `GET /openapi.json`. A call is authorized, its input checked, then run
 * with the Integration's credentials, rate limit and circuit breakers, retried with cockatiel's
 * exponential backoff on failures worth retrying (Retry-After honoured by the limiter).
 */
export function actionApi(options: ActionApiOptions) {
  const policy = retry(
    handleWhen((error) => isRetryableError(error) && !isBrokenCircuitError(error)),
    {
      maxAttempts: (options.maxAttempts ?? 3) - 1,
      backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
    },
  );
  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path === "/openapi.json" && request.method === "GET") {
      sendJson(response, 200, options.openapi);
      return true;
    }
    const name = /^\/actions\/([A-Za-z0-9._-]+)$/.exec(path)?.[1];
    if (!name) return false;
    if (request.method !== "POST") {
      sendJson(response, 405, { error: "actions are called with POST" }, { allow: "POST" });
      return true;
    }
    const authorization = await options.authorize(request.headers.authorization);
    if (!authorization.allowed) {
      request.resume();
      sendJson(response, authorization.status, { error: authorization.message });
      return true;
    }
    if (!options.executor.has(name)) {
      request.resume();
      sendJson(response, 404, { error: `no action "${name}": see /openapi.json` });
      return true;
    }
    const body = await readJson(request, 1024 * 1024);
    if (!body.ok) {
      sendJson(response, 400, { error: body.message });
      return true;
    }
    const idempotencyKey = request.headers["idempotency-key"];
    const traceparent = request.headers.traceparent;
    try {
      const result = await policy.execute(() =>
        options.executor.run({
          name,
          caller: authorization.caller,
          input: body.value,
          ...(typeof idempotencyKey === "string" ? { idempotencyKey } : {}),
          ...(typeof traceparent === "string" ? { traceparent } : {}),
        }),
      );
      options.observe(name, "success");
      sendJson(response, 200, { output: result.output });
    } catch (error) {
      if (error instanceof ActionInputError) {
        options.observe(name, "client-error");
        sendJson(response, 400, { error: error.message });
      } else if (isBrokenCircuitError(error)) {
        options.observe(name, "vendor-error");
        sendJson(
          response,
          503,
          { error: "the vendor's circuit is open after repeated failures; try later" },
          { "retry-after": "30" },
        );
      } else {
        options.observe(name, "vendor-error");
        const status = error instanceof VendorError ? error.status : undefined;
        sendJson(response, 502, {
          error: error instanceof Error ? error.message : String(error),
          ...(status ? { vendorStatus: status } : {}),
        });
      }
    }
    return true;
  };
}
