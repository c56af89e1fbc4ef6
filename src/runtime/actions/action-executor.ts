import type { CircuitBreakerPolicy } from "cockatiel";
import type { ConnectorAction, ConnectorSpec } from "../../api/types.js";
import type { Expression } from "../flows/compile-expression.js";
import { compileExpression } from "../flows/compile-expression.js";
import { VendorError } from "../outbound/failure-classification.js";
import type { HttpClient, HttpRequest } from "../outbound/http-client.js";
import {
  rateLimitSettings,
  scheduleThrough,
  VendorRateLimiter,
  vendorWaitMs,
} from "../outbound/rate-limiter.js";
import type { ActionInputCheck } from "./action-input.js";
import { actionInputCheck } from "./action-input.js";
import { renderTemplate } from "./render-template.js";

/** Adds credentials to an outbound request; `invalidate` drops cached tokens after a 401. */
export interface RequestSigner {
  authenticate(request: HttpRequest, signal?: AbortSignal): Promise<void>;
  invalidate?(): void;
}

export interface ActionCall {
  name: string;
  /** Who asked: a flow (`flow/<name>`) or an action API caller, for the audit trail. */
  caller?: string;
  input: unknown;
  idempotencyKey?: string;
  traceparent?: string;
  signal?: AbortSignal;
}

export interface ActionResult {
  status: number;
  output: unknown;
}

/** The input does not fit the action: the caller's mistake, never retried. */
export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionInputError";
  }
}

interface CompiledAction {
  spec: ConnectorAction;
  /** The global limits, then the action's own. */
  limiters: readonly VendorRateLimiter[];
  checkInput: ActionInputCheck | undefined;
  body: Expression | undefined;
  output: Expression | undefined;
}

export interface ActionExecutorOptions {
  connector: ConnectorSpec;
  config: Record<string, unknown>;
  http: HttpClient;
  /** Signers by auth scheme name. */
  signers: Map<string, RequestSigner>;
  /** The limits every action goes through: the connector's documented one, the Integration's own. */
  limiters: readonly VendorRateLimiter[];
  /** Told how long a call waited for the limits. */
  onLimitWait?: (ms: number) => void;
  /** The circuit breaker of a host (created on first use). */
  breakerFor: (host: string) => CircuitBreakerPolicy;
  timeoutMs: number;
  /** Told of every call that reached the point of sending, for the audit trail: never values, only names and outcomes. */
  onCall?: (call: ActionCallRecord) => void;
}

export interface ActionCallRecord {
  action: string;
  caller: string | undefined;
  host: string;
  /** The auth scheme whose signer authenticated the call, when one did. */
  scheme: string | undefined;
  status: number | undefined;
  ok: boolean;
  error?: string;
}

/**
 * Runs one attempt of a connector action: input checked against its schema, the request built from
 * the connector's templates, signed, sent through the vendor's rate limit and the host's circuit
 * breaker, the output mapped. A 401 drops cached tokens and tries once more with fresh ones. Retries
 * beyond that are the caller's (the journal's schedule, or the action API's retry policy).
 */
export class ActionExecutor {
  readonly #options: ActionExecutorOptions;
  readonly #actions = new Map<string, CompiledAction>();
  readonly #baseURL: string;

  constructor(options: ActionExecutorOptions) {
    this.#options = options;
    this.#baseURL = renderTemplate(options.connector.baseURL ?? "", { config: options.config }, false);
    for (const action of options.connector.actions ?? []) {
      const where = (part: string) => `action "${action.name}": ${part}`;
      this.#actions.set(action.name, {
        spec: action,
        limiters: action.rateLimit
          ? [
              ...options.limiters,
              new VendorRateLimiter(rateLimitSettings(action.rateLimit), options.onLimitWait),
            ]
          : options.limiters,
        checkInput: action.inputSchema ? actionInputCheck(action.inputSchema) : undefined,
        body: action.body ? compileExpression(action.body, where("body")) : undefined,
        output: action.output ? compileExpression(action.output, where("output")) : undefined,
      });
    }
  }

  has(name: string): boolean {
    return this.#actions.has(name);
  }

  async run(call: ActionCall): Promise<ActionResult> {
    const action = this.#actions.get(call.name);
    if (!action) throw new ActionInputError(`the connector has no action "${call.name}"`);
    const inputProblem = action.checkInput?.(call.input);
    if (inputProblem) throw new ActionInputError(inputProblem);
    const request = await this.#request(action, call);
    const signer = this.#options.signers.get(
      action.spec.authScheme ?? this.#options.connector.auth?.[0]?.name ?? "",
    );
    const send = async (): Promise<ActionResult> => {
      const attempt: HttpRequest = { ...request, headers: { ...request.headers } };
      await signer?.authenticate(attempt, call.signal);
      const breaker = this.#options.breakerFor(request.url.host);
      // The breaker counts what says the vendor is unwell (network errors, timeouts, 5xx, 408); a 429
      // pauses the rate limiter instead, and other 4xx are the request's own fault.
      const response = await breaker.execute(async () => {
        const answer = await this.#options.http.send(attempt, this.#options.timeoutMs, call.signal);
        if (answer.status >= 500 || answer.status === 408)
          throw new VendorError(
            answer.status,
            `${call.name}: ${describe(answer.status, answer.body)}`,
            observe(action.limiters, answer.status, answer.headers),
          );
        return answer;
      });
      const wait = observe(action.limiters, response.status, response.headers);
      if (response.status >= 400)
        throw new VendorError(
          response.status,
          `${call.name}: ${describe(response.status, response.body)}`,
          wait,
        );
      const parsed = parseBody(response.body);
      return { status: response.status, output: action.output ? await action.output(parsed) : parsed };
    };
    const limited = () => scheduleThrough(action.limiters, send);
    const schemeName = signer
      ? (action.spec.authScheme ?? this.#options.connector.auth?.[0]?.name)
      : undefined;
    const record = (status: number | undefined, error?: unknown) =>
      this.#options.onCall?.({
        action: call.name,
        caller: call.caller,
        host: request.url.host,
        scheme: schemeName,
        status,
        ok: error === undefined,
        ...(error !== undefined ? { error: error instanceof Error ? error.message : "failed" } : {}),
      });
    try {
      let result: ActionResult;
      try {
        result = await limited();
      } catch (error) {
        if (!(error instanceof VendorError && error.status === 401 && signer?.invalidate)) throw error;
        signer.invalidate();
        result = await limited();
      }
      record(result.status);
      return result;
    } catch (error) {
      record(error instanceof VendorError ? error.status : undefined, error);
      throw error;
    }
  }

  async #request(action: CompiledAction, call: ActionCall): Promise<HttpRequest> {
    const values = { input: call.input, config: this.#options.config };
    const url = new URL(this.#baseURL.replace(/\/$/, "") + renderTemplate(action.spec.path, values, true));
    for (const [name, template] of Object.entries(action.spec.query ?? {}))
      url.searchParams.set(name, renderTemplate(template, values, false));
    const headers: Record<string, string> = { accept: "application/json" };
    for (const [name, template] of Object.entries(action.spec.headers ?? {}))
      headers[name.toLowerCase()] = renderTemplate(template, values, false);
    if (call.traceparent) headers.traceparent = call.traceparent;
    if (call.idempotencyKey && action.spec.idempotencyKeyHeader)
      headers[action.spec.idempotencyKeyHeader.toLowerCase()] = call.idempotencyKey;
    let body: string | undefined;
    if (action.spec.method !== "GET" && action.spec.method !== "DELETE") {
      const value = action.body
        ? await action.body(call.input, { config: this.#options.config, input: call.input })
        : call.input;
      body = JSON.stringify(value ?? {});
      headers["content-type"] = "application/json";
    }
    return { method: action.spec.method, url, headers, ...(body !== undefined ? { body } : {}) };
  }
}

/** The vendor's limit signals pause every limit the call went through; returns the wait it asked for. */
function observe(
  limiters: readonly VendorRateLimiter[],
  status: number,
  headers: Parameters<typeof vendorWaitMs>[1],
): number | undefined {
  for (const limiter of limiters) limiter.observe(status, headers);
  return vendorWaitMs(status, headers);
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A vendor's error answer, short: the status and the start of its body (vendors' error messages, not our secrets). */
function describe(status: number, body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return `${status}${text ? ` ${text.slice(0, 200)}${text.length > 200 ? "…" : ""}` : ""}`;
}
