import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConsecutiveBreaker, circuitBreaker, handleAll } from "cockatiel";
import type { ConnectorSpec, CredentialSpec } from "../../api/types.js";
import { ActionExecutor } from "../../runtime/actions/action-executor.js";
import { credentialSigners } from "../../runtime/credential-signers.js";
import { VendorError } from "../../runtime/outbound/failure-classification.js";
import type { HttpRequest, HttpResponse } from "../../runtime/outbound/http-client.js";
import { HttpClient } from "../../runtime/outbound/http-client.js";

export interface HealthCheckReport {
  connector: string;
  action: string;
  ok: boolean;
  /** The vendor's answer to the action's request (after a token request, when there is one). */
  status: number | undefined;
  latencyMs: number;
  auth: "accepted" | "refused" | "no credential";
  tokenRequests: { scheme: string; ok: boolean }[];
  /** Rate-limit headers the vendor sent, as sent. */
  rateLimit: Record<string, string>;
  output?: unknown;
  error?: string;
}

const rateLimitHeaders = [
  "ratelimit",
  "ratelimit-policy",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "x-ratelimit-used",
  "x-ratelimit-resource",
  "x-rate-limit-limit",
  "x-rate-limit-remaining",
  "x-rate-limit-reset",
  "retry-after",
];

/** Keeps the last response, for what the executor does not return (status of a failure, headers). */
class ObservedHttpClient extends HttpClient {
  last: HttpResponse | undefined;
  override async send(request: HttpRequest, timeoutMs: number, signal?: AbortSignal): Promise<HttpResponse> {
    this.last = await super.send(request, timeoutMs, signal);
    return this.last;
  }
}

/**
 * Test connection: the connector's health check action, run once with real credentials the way the
 * runtime runs actions (same signers, templates and egress rules), reporting how long it took, whether
 * the vendor took the credentials, and the rate-limit headers it sent.
 */
export async function runHealthCheck(options: {
  connectorName: string;
  connector: ConnectorSpec;
  credential: CredentialSpec | undefined;
  secretValues: Map<string, string>;
  config: Record<string, unknown>;
  input?: unknown;
  allowPrivateNetworks: boolean;
  allowInsecureHTTP: boolean;
  timeoutMs: number;
}): Promise<HealthCheckReport> {
  const action = options.connector.healthCheck?.action;
  if (!action)
    throw new Error(`connector ${options.connectorName} has no health check (spec.healthCheck.action)`);
  const stateDir = await mkdtemp(join(tmpdir(), "switchboard-connector-test-"));
  const http = new ObservedHttpClient({
    hosts: options.connector.egressHosts ?? [],
    allowPrivateNetworks: options.allowPrivateNetworks,
    allowInsecureHTTP: options.allowInsecureHTTP,
  });
  const tokenRequests: HealthCheckReport["tokenRequests"] = [];
  const executor = new ActionExecutor({
    connector: options.connector,
    config: options.config,
    http,
    signers: credentialSigners({
      connector: options.connector,
      credential: options.credential,
      values: options.secretValues,
      config: options.config,
      stateDir,
      timeoutMs: options.timeoutMs,
      onTokenRequest: (scheme, ok) => tokenRequests.push({ scheme, ok }),
    }),
    limiters: [],
    breakerFor: () =>
      circuitBreaker(handleAll, { halfOpenAfter: 1_000, breaker: new ConsecutiveBreaker(100) }),
    timeoutMs: options.timeoutMs,
  });
  const started = performance.now();
  const report = (ok: boolean, extra: Partial<HealthCheckReport>): HealthCheckReport => {
    const status = extra.status ?? http.last?.status;
    const rateLimit: Record<string, string> = {};
    for (const name of rateLimitHeaders) {
      const value = http.last?.headers.get(name);
      if (value !== null && value !== undefined) rateLimit[name] = value;
    }
    return {
      connector: options.connectorName,
      action,
      ok,
      status,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      auth: !options.credential
        ? "no credential"
        : status === 401 || status === 403 || tokenRequests.some((t) => !t.ok)
          ? "refused"
          : "accepted",
      tokenRequests,
      rateLimit,
      ...extra,
    };
  };
  try {
    const result = await executor.run({ name: action, input: options.input ?? {} });
    return report(true, { status: result.status, output: result.output });
  } catch (error) {
    return report(false, {
      ...(error instanceof VendorError ? { status: error.status } : {}),
      error: (error as Error).message,
    });
  } finally {
    await http.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
