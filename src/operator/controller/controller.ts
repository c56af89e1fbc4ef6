import { isDeepStrictEqual } from "node:util";
import type { Logger } from "pino";
import type { KubeObject } from "../../apiserver/types.js";
import type { Informer } from "../informer/informer.js";
import { keyOf } from "../informer/informer.js";
import type { OperatorMetrics } from "../metrics/operator-metrics.js";
import type { ReconcileResult } from "../queue/work-queue.js";
import { WorkQueue } from "../queue/work-queue.js";
import { isStalledError, isWaitingError } from "./reconcile-errors.js";

export interface ControllerOptions {
  /** The controller's name in logs and metrics, e.g. `clusterconnector`. */
  name: string;
  /** The informer of the kind this controller reconciles. */
  informer: Informer;
  /** Reconciles one object (undefined when it no longer exists); status is written inside. */
  reconcile: (key: string, object: KubeObject | undefined) => Promise<ReconcileResult | void>;
  /** Other kinds whose changes concern some objects of this one: each maps a change to their keys. */
  watches?: { informer: Informer; keysFor: (object: KubeObject) => string[] }[];
  workers?: number;
  /**
   * Every object is reconciled again this often even when nothing changed, catching drift a watch
   * cannot see (an owned object edited while the operator was down, a vendor endpoint that recovered).
   * Reconciles of unchanged objects write nothing. 0 turns it off. @default 600000 (10 minutes)
   */
  resyncPeriodMs?: number;
  metrics: OperatorMetrics;
  log: Logger;
}

/**
 * Connects informers to a work queue and a reconcile function, like controller-runtime: changes to
 * the primary kind enqueue its key (updates only when something a reconcile acts on changed, so the
 * controller's own status writes do not wake it), changes to watched kinds enqueue their dependents,
 * and reconcile errors are handled by kind: stalled (no retry), waiting (requeue after), transient
 * (backoff).
 */
export class Controller {
  readonly #queue: WorkQueue;
  readonly #options: ControllerOptions;
  readonly #resync: NodeJS.Timeout | undefined;

  constructor(options: ControllerOptions) {
    this.#options = options;
    this.#queue = new WorkQueue({
      workers: options.workers ?? 4,
      observer: options.metrics.workQueueObserver(options.name),
      reconcile: (key) => this.#reconcile(key),
    });
    const enqueue = (object: KubeObject): void =>
      this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name ?? ""));
    options.informer.on("add", enqueue);
    options.informer.on("delete", enqueue);
    options.informer.on("update", (object, previous) => {
      if (!previous || needsReconcile(object, previous)) enqueue(object);
    });
    for (const watch of options.watches ?? []) {
      const fanOut = (object: KubeObject): void => {
        for (const key of watch.keysFor(object)) this.#queue.add(key);
      };
      watch.informer.on("add", fanOut);
      watch.informer.on("update", fanOut);
      watch.informer.on("delete", fanOut);
    }
    const resyncPeriodMs = options.resyncPeriodMs ?? 600_000;
    if (resyncPeriodMs > 0) {
      this.#resync = setInterval(() => this.enqueueAll(), resyncPeriodMs);
      this.#resync.unref();
    }
  }

  /** Enqueues every cached object, e.g. when this instance becomes the leader. */
  enqueueAll(): void {
    for (const object of this.#options.informer.list())
      this.#queue.add(keyOf(object.metadata.namespace, object.metadata.name ?? ""));
  }

  enqueue(key: string): void {
    this.#queue.add(key);
  }

  /** Stops taking work and waits for reconciles in flight. */
  stop(): Promise<void> {
    clearInterval(this.#resync);
    return this.#queue.shutdown();
  }

  async #reconcile(key: string): Promise<ReconcileResult | void> {
    const [namespace, name] = key.includes("/") ? (key.split("/", 2) as [string, string]) : [undefined, key];
    const object = this.#options.informer.get(namespace, name);
    try {
      return await this.#options.reconcile(key, object);
    } catch (error) {
      if (isStalledError(error)) {
        this.#options.log.warn({ controller: this.#options.name, key, reason: error.reason }, error.message);
        return;
      }
      if (isWaitingError(error)) {
        this.#options.log.info({ controller: this.#options.name, key, reason: error.reason }, error.message);
        return { requeueAfterMs: error.requeueAfterMs };
      }
      this.#options.log.error(
        { controller: this.#options.name, key, err: error },
        "reconcile failed; retrying with backoff",
      );
      throw error;
    }
  }
}

/** What a reconcile acts on: the generation (spec), deletion, finalizers, labels and annotations; not status. */
function needsReconcile(object: KubeObject, previous: KubeObject): boolean {
  const a = object.metadata;
  const b = previous.metadata;
  return (
    a.generation !== b.generation ||
    a.deletionTimestamp !== b.deletionTimestamp ||
    !isDeepStrictEqual(a.finalizers, b.finalizers) ||
    !isDeepStrictEqual(a.labels, b.labels) ||
    !isDeepStrictEqual(a.annotations, b.annotations) ||
    (a.generation === undefined && !isDeepStrictEqual(object, previous))
  );
}
