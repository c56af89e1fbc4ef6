import { RequestContext, Watch } from "@kubernetes/client-node";
import Bottleneck from "bottleneck";
import type { KubeConfig } from "@kubernetes/client-node";
import { fetch } from "undici";
import type { Dispatcher } from "undici";
import type { KubeObject } from "../../apiserver/types.js";

/** A failed API request, with the Status the server sent. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "KubeApiError";
  }
}

export function isKubeApiError(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

const maxThrottledRetries = 10;

export type WatchEventHandler = (type: string, object: KubeObject) => void;

/**
 * Every Kubernetes call the operator makes goes through here: one thin adapter over the kubeconfig's
 * authentication and TLS (from @kubernetes/client-node), so tests can count and fault it at the server.
 */
export class KubeClient {
  readonly #limiter: Bottleneck | undefined;
  #cached:
    | { server: string; headers: Record<string, string>; dispatcher: Dispatcher | undefined; expires: number }
    | undefined;

  /**
   * `rateLimit` caps requests toward the API server like client-go's QPS and burst: `burst` at once,
   * refilled at `qps` per second. Watches count once, when they start.
   */
  constructor(
    readonly kubeConfig: KubeConfig,
    rateLimit?: { qps: number; burst: number },
  ) {
    if (rateLimit) this.#limiter = new Bottleneck(tokenBucket(rateLimit.qps, rateLimit.burst));
  }

  /**
   * One API call. A 429 (or a 503) that carries Retry-After is waited out and sent again, as client-go
   * does, up to ten times: the server refused the request without acting on it, so any verb is safe
   * to repeat. Other failures throw a KubeApiError for the caller's backoff.
   */
  async request<T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<T> {
    const send = (): Promise<T> => this.#send<T>(method, path, body, contentType);
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.#limiter ? this.#limiter.schedule(send) : send());
      } catch (error) {
        const wait =
          isKubeApiError(error) && (error.code === 429 || error.code === 503)
            ? error.retryAfterSeconds
            : undefined;
        if (wait === undefined || !Number.isFinite(wait) || attempt >= maxThrottledRetries) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(wait, 0), 30) * 1000));
      }
    }
  }

  /**
   * Authentication headers and the TLS dispatcher, kept for a minute: one dispatcher means pooled
   * keep-alive connections instead of a TLS handshake per request; renewing it picks up rotated
   * tokens from exec and file credentials.
   */
  async #connection(): Promise<{
    server: string;
    headers: Record<string, string>;
    dispatcher: Dispatcher | undefined;
  }> {
    if (this.#cached && this.#cached.expires > Date.now()) return this.#cached;
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    const context = new RequestContext(cluster.server, "GET");
    await this.kubeConfig.applySecurityAuthentication(context);
    this.#cached = {
      server: cluster.server,
      headers: context.getHeaders(),
      dispatcher: context.getDispatcher(),
      expires: Date.now() + 60_000,
    };
    return this.#cached;
  }

  async #send<T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<T> {
    const { server, headers: authHeaders, dispatcher } = await this.#connection();
    const headers: Record<string, string> = { ...authHeaders, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = contentType;
    const response = await fetch(server + path, {
      method,
      headers,
      dispatcher,
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      let status: { message?: string; reason?: string } = {};
      try {
        status = JSON.parse(text) as typeof status;
      } catch {
        status = { message: text };
      }
      const retryAfter = response.headers.get("retry-after");
      throw new KubeApiError(
        response.status,
        status.reason ?? "Unknown",
        `${method} ${path}: ${response.status} ${status.message ?? response.statusText}`,
        retryAfter === null ? undefined : Number(retryAfter),
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * One request with the caller's own headers and body, answered whatever its status: for
   * subresources that are not Kubernetes objects, such as a Service's proxy.
   */
  async raw(
    method: string,
    path: string,
    options: { headers?: Record<string, string>; body?: Buffer | string } = {},
  ): Promise<{ status: number; headers: Headers; body: string }> {
    const { server, headers: authHeaders, dispatcher } = await this.#connection();
    const response = await fetch(server + path, {
      method,
      headers: { ...options.headers, ...authHeaders },
      dispatcher,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  async list(path: string, query: Record<string, string> = {}): Promise<ListResult> {
    const search = new URLSearchParams(query).toString();
    const list = await this.request<{ items: KubeObject[]; metadata: { resourceVersion: string } }>(
      "GET",
      search ? `${path}?${search}` : path,
    );
    return { items: list.items, resourceVersion: list.metadata.resourceVersion };
  }

  /** Opens a watch; `done` is called once when it ends, with the error if it failed. Returns a stop function. */
  async watch(
    path: string,
    query: Record<string, string | number | boolean>,
    onEvent: WatchEventHandler,
    done: (error: unknown) => void,
  ): Promise<() => void> {
    if (this.#limiter) await this.#limiter.schedule(() => Promise.resolve());
    const controller = await new Watch(this.kubeConfig).watch(
      path,
      query,
      (type: string, object: KubeObject) => onEvent(type, object),
      done,
    );
    return () => controller.abort();
  }
}

/**
 * Bottleneck options for a token bucket of `burst` tokens refilled at `qps`. Bottleneck adds
 * `reservoirIncreaseAmount` at most once per heartbeat, so the refill is spread over heartbeats of
 * 100 ms (or the time one token takes, below 10 QPS) rather than one token per heartbeat.
 */
export function tokenBucket(qps: number, burst: number): Bottleneck.ConstructorOptions {
  const interval = qps >= 10 ? 100 : Math.round(1000 / qps);
  return {
    reservoir: burst,
    reservoirIncreaseAmount: Math.max(1, Math.round((qps * interval) / 1000)),
    reservoirIncreaseInterval: interval,
    reservoirIncreaseMaximum: burst,
    heartbeatInterval: Math.min(interval, 250),
  };
}
