import { RequestContext, Watch } from "@kubernetes/client-node";
import Bottleneck from "bottleneck";
import type { KubeConfig } from "@kubernetes/client-node";
import { fetch } from "undici";
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

export type WatchEventHandler = (type: string, object: KubeObject) => void;

/**
 * Every Kubernetes call the operator makes goes through here: one thin adapter over the kubeconfig's
 * authentication and TLS (from @kubernetes/client-node), so tests can count and fault it at the server.
 */
export class KubeClient {
  readonly #limiter: Bottleneck | undefined;

  /**
   * `rateLimit` caps requests toward the API server like client-go's QPS and burst: `burst` at once,
   * refilled at `qps` per second. Watches count once, when they start.
   */
  constructor(
    readonly kubeConfig: KubeConfig,
    rateLimit?: { qps: number; burst: number },
  ) {
    if (rateLimit) {
      this.#limiter = new Bottleneck({
        reservoir: rateLimit.burst,
        reservoirIncreaseAmount: 1,
        reservoirIncreaseInterval: Math.max(1, Math.round(1000 / rateLimit.qps)),
        reservoirIncreaseMaximum: rateLimit.burst,
      });
    }
  }

  request<T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<T> {
    const send = (): Promise<T> => this.#send<T>(method, path, body, contentType);
    return this.#limiter ? this.#limiter.schedule(send) : send();
  }

  async #send<T>(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    contentType = "application/json",
  ): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig has no current cluster");
    const context = new RequestContext(cluster.server + path, method);
    await this.kubeConfig.applySecurityAuthentication(context);
    const headers: Record<string, string> = { ...context.getHeaders(), accept: "application/json" };
    if (body !== undefined) headers["content-type"] = contentType;
    const response = await fetch(cluster.server + path, {
      method,
      headers,
      dispatcher: context.getDispatcher(),
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
