import type { Logger } from "pino";
import type { KubeObject } from "../../apiserver/types.js";
import type { KubeClient } from "../kube/kube-client.js";
import { isKubeApiError } from "../kube/kube-client.js";

export type EventType = "Normal" | "Warning";

export interface EventRecorderOptions {
  client: KubeClient;
  /** `source.component` and `reportingComponent`, e.g. `switchboard-operator`. */
  component: string;
  /** `reportingInstance`, e.g. the pod name. */
  instance: string;
  log: Logger;
  /** How many distinct events are remembered for de-duplication. @default 4096 */
  cacheSize?: number;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

/**
 * Records Kubernetes Events as client-go's recorder does: an event repeated for the same object,
 * type, reason and message increments `count` and `lastTimestamp` on one Event instead of creating
 * another. Messages are written by the controllers and must never contain secret values; they say
 * what happened and what to do. Recording never fails the caller: a lost event is logged.
 */
export class EventRecorder {
  readonly #seen = new Map<string, Seen>();
  readonly #options: EventRecorderOptions;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
  }

  async record(object: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const { uid, name = "", namespace } = object.metadata;
    const key = `${uid ?? `${namespace ?? ""}/${name}`}|${type}|${reason}|${message}`;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    const seen = this.#seen.get(key);
    try {
      if (seen) {
        seen.count++;
        this.#touch(key, seen);
        try {
          await this.#options.client.request(
            "PATCH",
            `/api/v1/namespaces/${seen.namespace}/events/${seen.name}`,
            { count: seen.count, lastTimestamp: now },
            "application/merge-patch+json",
          );
          return;
        } catch (error) {
          if (!isKubeApiError(error) || error.code !== 404) throw error;
          // The Event expired or was deleted: start a new one.
        }
      }
      const eventNamespace = namespace ?? "default";
      const eventName = `${name}.${(BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(16)}`;
      await this.#options.client.request("POST", `/api/v1/namespaces/${eventNamespace}/events`, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: eventName, namespace: eventNamespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name,
          ...(namespace ? { namespace } : {}),
          ...(uid ? { uid } : {}),
          ...(object.metadata.resourceVersion ? { resourceVersion: object.metadata.resourceVersion } : {}),
        },
        type,
        reason,
        message,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: this.#options.component },
        reportingComponent: this.#options.component,
        reportingInstance: this.#options.instance,
      });
      this.#touch(key, { namespace: eventNamespace, name: eventName, count: 1 });
    } catch (error) {
      this.#options.log.warn(
        { err: error, reason, object: `${namespace ?? ""}/${name}` },
        "could not record an event",
      );
    }
  }

  #touch(key: string, seen: Seen): void {
    this.#seen.delete(key);
    this.#seen.set(key, seen);
    const limit = this.#options.cacheSize ?? 4096;
    while (this.#seen.size > limit) {
      const [oldest] = this.#seen.keys();
      if (oldest === undefined) break;
      this.#seen.delete(oldest);
    }
  }
}
