import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleAll } from "cockatiel";
import type { CircuitBreakerPolicy } from "cockatiel";
import type { Logger } from "pino";
import { ActionExecutor } from "./actions/action-executor.js";
import type { RequestSigner } from "./actions/action-executor.js";
import { actionApi } from "./actions/action-api.js";
import { actionOpenAPI } from "./actions/action-openapi.js";
import type { TokenReviewer } from "./actions/caller-authorizer.js";
import { callerAuthorizer } from "./actions/caller-authorizer.js";
import { parseGoDuration } from "./config/go-duration.js";
import type { RuntimeConfig } from "./config/runtime-config.js";
import { deliverySettings } from "./delivery/delivery-policy.js";
import { DeliveryWorker } from "./delivery/delivery-worker.js";
import { flowTargets } from "./delivery/flow-targets.js";
import { compileFlows, flowContext } from "./flows/compile-flows.js";
import { personalDataMinimizer } from "./flows/personal-data.js";
import type { AuditLog } from "../governance/audit/audit-log.js";
import type { ActionCallRecord } from "./actions/action-executor.js";
import { runtimeAudit } from "./runtime-audit.js";
import { adminApi } from "./http/admin-api.js";
import { sendJson } from "./http/json-response.js";
import { webhookReceiver } from "./inbound/webhook-receiver.js";
import { Journal } from "./journal/journal.js";
import { RuntimeMetrics } from "./metrics/runtime-metrics.js";
import { VendorError } from "./outbound/failure-classification.js";
import { HttpClient } from "./outbound/http-client.js";
import { rateLimitSettings, VendorRateLimiter } from "./outbound/rate-limiter.js";

export interface RuntimeOptions {
  config: RuntimeConfig;
  /** Verification secrets now (the mounted webhook Secret, read again on each delivery). */
  webhookSecrets: () => readonly string[];
  /** Signers by auth scheme name, from the Credential; given a callback that counts token requests. */
  signers: (onTokenRequest: (scheme: string, ok: boolean) => void) => Map<string, RequestSigner>;
  /** Signing secrets of sinks, by `<secret name>/<key>`. */
  sinkSecrets?: Map<string, string>;
  journalPath: string;
  /** @default 8080 */
  port?: number;
  /** Metrics and dead letters. @default 9090 */
  adminPort?: number;
  host?: string;
  /** The URL vendors call, when a proxy makes it differ from the Service's. */
  externalURL?: string;
  /** Local mode: one token that may call the action API. */
  actionToken?: string;
  tokenReview?: TokenReviewer;
  /** How other Integrations' action APIs are reached. @default http://{name}.{namespace}.svc */
  integrationURL?: (name: string) => string;
  /** A token this runtime presents to other Integrations (its ServiceAccount's). */
  callerToken?: () => Promise<string | undefined>;
  /** Undelivered entries beyond which the receiver answers 503. @default 100000 */
  journalCapacity?: number;
  /** Where every outbound action and every credential use is recorded (OCSF API Activity). */
  audit?: AuditLog;
  log: Logger;
}

/**
 * One Integration's data plane: the webhook receiver and action API on one port, metrics and dead
 * letters on another, the journal between them, and the delivery worker draining it.
 */
export class Runtime {
  readonly metrics: RuntimeMetrics;
  readonly journal: Journal;
  readonly #options: RuntimeOptions;
  readonly #http: HttpClient;
  readonly #worker: DeliveryWorker;
  readonly #limiters: VendorRateLimiter[];
  readonly #servers: Server[] = [];
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();
  #ready = false;
  #compaction: NodeJS.Timeout | undefined;

  constructor(options: RuntimeOptions) {
    this.#options = options;
    const { integration, connector } = options.config;
    const spec = integration.spec;
    const personalData = options.config.governance?.personalData;
    const context = {
      ...flowContext(integration),
      ...(personalData ? { minimize: personalDataMinimizer(personalData) } : {}),
    };
    const webhookURL = context.webhookURL;
    this.metrics = new RuntimeMetrics(
      { namespace: integration.namespace, integration: integration.name, connector: connector.name },
      (connector.spec.events ?? []).map((e) => e.type),
    );
    const labels = this.metrics.labels;
    const settings = deliverySettings(spec.delivery);
    this.journal = new Journal({
      path: options.journalPath,
      capacity: options.journalCapacity ?? 100_000,
      replayWindowMs: parseGoDuration(spec.webhook?.replayWindow ?? "10m"),
    });
    this.#http = new HttpClient({
      hosts: [...(connector.spec.egressHosts ?? []), ...(spec.egress?.allowedHosts ?? [])],
      allowPrivateNetworks: spec.egress?.allowPrivateNetworks ?? false,
      allowInsecureHTTP: spec.egress?.allowInsecureHTTP ?? false,
    });
    // The connector's documented limit always applies; the Integration's own, when set, as well.
    const onLimitWait = (ms: number) => this.metrics.rateLimitWait.observe(labels, ms / 1000);
    this.#limiters = [connector.spec.rateLimits, spec.delivery?.rateLimit]
      .filter((limit) => limit !== undefined)
      .map((limit) => new VendorRateLimiter(rateLimitSettings(limit), onLimitWait));
    const breakerFor = (host: string): CircuitBreakerPolicy => {
      let breaker = this.#breakers.get(host);
      if (!breaker) {
        breaker = circuitBreaker(handleAll, {
          halfOpenAfter: settings.breaker.halfOpenAfterMs,
          breaker: new ConsecutiveBreaker(settings.breaker.consecutiveFailures),
        });
        const gauge = () =>
          this.metrics.circuitState.set(
            { ...labels, host },
            breaker?.state === CircuitState.Open || breaker?.state === CircuitState.Isolated
              ? 2
              : breaker?.state === CircuitState.HalfOpen
                ? 1
                : 0,
          );
        breaker.onStateChange(gauge);
        gauge();
        this.#breakers.set(host, breaker);
      }
      return breaker;
    };
    const audit = options.audit && runtimeAudit(options.audit, options.config);
    const executor = new ActionExecutor({
      connector: connector.spec,
      config: spec.config ?? {},
      http: this.#http,
      signers: options.signers((scheme, ok) => {
        this.metrics.tokenRequests.inc({ ...labels, scheme, result: ok ? "ok" : "error" });
        audit?.tokenRequest(scheme, ok);
      }),
      ...(audit ? { onCall: (call: ActionCallRecord) => audit.actionCall(call) } : {}),
      limiters: this.#limiters,
      onLimitWait,
      breakerFor,
      timeoutMs: settings.timeoutMs,
    });
    const flows = compileFlows(spec, connector.spec, context);
    const integrationURL =
      options.integrationURL ?? ((name: string) => `http://${name}.${integration.namespace}.svc`);
    this.#worker = new DeliveryWorker({
      journal: this.journal,
      flows: new Map(flows.map((f) => [f.name, f])),
      targets: flowTargets({
        actions: executor,
        http: this.#http,
        breakerFor,
        timeoutMs: settings.timeoutMs,
        sinkSecrets: options.sinkSecrets ?? new Map<string, string>(),
        callIntegration: async (name, action, input, idempotencyKey) => {
          const token = await options.callerToken?.();
          const response = await fetch(`${integrationURL(name)}/actions/${encodeURIComponent(action)}`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "idempotency-key": idempotencyKey,
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: JSON.stringify(input),
            signal: AbortSignal.timeout(settings.timeoutMs),
          });
          if (!response.ok) {
            throw new VendorError(
              response.status,
              `Integration ${name} action ${action}: ${response.status}`,
              undefined,
            );
          }
        },
      }),
      policy: settings,
      onOutcome: (flow, outcome, seconds) => {
        this.metrics.deliveries.inc({ ...labels, flow, outcome });
        this.metrics.deliveryDuration.observe({ ...labels, flow }, seconds);
      },
      log: options.log,
    });

    const receive = webhookReceiver({
      connector: connector.spec,
      externalURL: options.externalURL ?? spec.webhook?.externalURL ?? webhookURL,
      secrets: options.webhookSecrets,
      maxBodyBytes: spec.webhook?.maxBodyBytes ?? 1024 * 1024,
      journal: this.journal,
      flows,
      journaled: () => this.#worker.wake(),
      observe: {
        received: (type) =>
          this.metrics.eventsReceived.inc({ ...labels, event_type: this.metrics.eventType(type) }),
        rejected: (reason) => this.metrics.eventsRejected.inc({ ...labels, reason }),
        duplicate: () => this.metrics.eventsDuplicate.inc(labels),
        unrouted: (type) =>
          this.metrics.eventsUnrouted.inc({ ...labels, event_type: this.metrics.eventType(type) }),
      },
      log: options.log,
    });
    const actions = actionApi({
      executor,
      authorize: callerAuthorizer({
        actionAPI: spec.actionAPI,
        namespace: integration.namespace,
        ...(options.actionToken ? { staticToken: options.actionToken } : {}),
        ...(options.tokenReview ? { review: options.tokenReview } : {}),
      }),
      openapi: actionOpenAPI(connector.spec, integration),
      observe: (action, outcome) => this.metrics.actionCalls.inc({ ...labels, action, outcome }),
    });
    const webhookPath = spec.webhook?.path ?? "/webhook";
    const main = createServer((request, response) => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const route =
        path === webhookPath
          ? "webhook"
          : path.startsWith("/actions/")
            ? "actions"
            : path.replace(/^\/(healthz|readyz|openapi\.json).*$/, "$1");
      response.on("finish", () =>
        this.metrics.requests.inc({
          ...labels,
          route: ["webhook", "actions", "healthz", "readyz", "openapi.json"].includes(route)
            ? route
            : "other",
          code: String(response.statusCode),
        }),
      );
      const handle = async (): Promise<void> => {
        if (path === webhookPath && spec.webhook?.enabled !== false) return receive(request, response);
        if (path === "/healthz") return sendJson(response, 200, { ok: true });
        if (path === "/readyz")
          return this.#ready ? sendJson(response, 200, { ok: true }) : sendJson(response, 503, { ok: false });
        if (spec.actionAPI?.enabled !== false && (await actions(request, response, path))) return;
        request.resume();
        sendJson(response, 404, { error: `no route ${request.method ?? ""} ${path}` });
      };
      handle().catch((error: unknown) => {
        options.log.error({ err: error, path }, "request failed");
        if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
        else response.destroy();
      });
    });
    const admin = createServer((request, response) => {
      adminApi({
        journal: this.journal,
        registry: this.metrics.registry,
        replayed: () => this.#worker.wake(),
        delivery: this.#worker,
      })(request, response).catch((error: unknown) => {
        options.log.error({ err: error }, "admin request failed");
        if (!response.headersSent) sendJson(response, 500, { error: "internal error" });
      });
    });
    main.keepAliveTimeout = 65_000;
    this.#servers.push(main, admin);
  }

  async start(): Promise<{ port: number; adminPort: number }> {
    const host = this.#options.host ?? "0.0.0.0";
    const listen = (server: Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
    const [main, admin] = this.#servers as [Server, Server];
    const port = await listen(main, this.#options.port ?? 8080);
    const adminPort = await listen(admin, this.#options.adminPort ?? 9090);
    this.#worker.start();
    this.#compaction = setInterval(() => {
      this.journal.compact();
      const labels = this.metrics.labels;
      for (const [state, n] of Object.entries(this.journal.counts()))
        if (state !== "done") this.metrics.journalEntries.set({ ...labels, state }, n);
    }, 10_000);
    this.#compaction.unref();
    this.#ready = true;
    return { port, adminPort };
  }

  /** Stops receiving (new requests are refused), finishes deliveries in flight, closes the journal. */
  async stop(): Promise<void> {
    this.#ready = false;
    clearInterval(this.#compaction);
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      ),
    );
    await this.#worker.stop();
    await Promise.all(this.#limiters.map((limiter) => limiter.stop()));
    await this.#http.close();
    await this.journal.close();
  }
}
