import type { Logger } from "pino";
import type { KubeObject } from "../../apiserver/types.js";
import type { KubeClient } from "../kube/kube-client.js";
import { isKubeApiError } from "../kube/kube-client.js";

export interface LeaderElectionOptions {
  client: KubeClient;
  namespace: string;
  /** The Lease's name, e.g. `switchboard-operator`. */
  name: string;
  /** This instance's identity, unique among candidates (the pod name). */
  identity: string;
  /** How long a lease holds without renewal. @default 15000 */
  leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading. @default 10000 */
  renewDeadlineMs?: number;
  /** How often candidates try to acquire, and the leader renews. @default 2000 */
  retryPeriodMs?: number;
  /** Give the lease up on stop (client-go's ReleaseOnCancel), so a successor need not wait for expiry. @default true */
  releaseOnStop?: boolean;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  log: Logger;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

/**
 * client-go's leader election on a coordination.k8s.io/v1 Lease: candidates acquire a lease that has
 * expired (judged by when this instance last saw it change, not by the holder's clock), the leader
 * renews it every retry period, stops leading when it cannot renew within the renew deadline, and
 * releases it on shutdown so a successor need not wait for expiry. Writes use optimistic concurrency.
 */
export class LeaderElector {
  readonly #options: Required<Omit<LeaderElectionOptions, "log">> & { log: Logger };
  #leading = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #observed: { record: string; at: number } | undefined;
  #lastRenew = 0;

  constructor(options: LeaderElectionOptions) {
    this.#options = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      releaseOnStop: true,
      ...options,
    };
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    void this.#tick();
  }

  /** Stops campaigning; a leader gives the lease up at once unless `releaseOnStop` is false. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (!this.#leading) return;
    this.#setLeading(false);
    if (!this.#options.releaseOnStop) return;
    try {
      const lease = await this.#get();
      if (lease?.spec?.holderIdentity === this.#options.identity) {
        await this.#options.client.request("PUT", this.#path(lease.metadata.name), {
          ...lease,
          spec: {
            ...lease.spec,
            holderIdentity: "",
            leaseDurationSeconds: 1,
            renewTime: microTime(new Date()),
          },
        });
      }
    } catch (error) {
      this.#options.log.warn({ err: error, lease: this.#options.name }, "could not release the lease");
    }
  }

  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let acquired = false;
    try {
      acquired = await this.#tryAcquireOrRenew();
    } catch (error) {
      this.#options.log.debug({ err: error, lease: this.#options.name }, "lease update failed");
    }
    if (this.#stopped) return;
    const now = Date.now();
    if (acquired) {
      this.#lastRenew = now;
      if (!this.#leading) this.#setLeading(true);
    } else if (this.#leading && now - this.#lastRenew > this.#options.renewDeadlineMs) {
      this.#options.log.warn(
        { lease: this.#options.name },
        "could not renew the lease within the renew deadline; no longer leading",
      );
      this.#setLeading(false);
    }
    this.#timer = setTimeout(() => void this.#tick(), this.#options.retryPeriodMs);
    this.#timer.unref();
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const { identity } = this.#options;
    const now = new Date();
    const lease = await this.#get();
    const durationSeconds = Math.ceil(this.#options.leaseDurationMs / 1000);
    if (!lease) {
      await this.#options.client.request("POST", this.#path(), {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: this.#options.name, namespace: this.#options.namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: 0,
        },
      });
      return true;
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify(spec);
    if (this.#observed?.record !== record) this.#observed = { record, at: Date.now() };
    const holder = spec.holderIdentity ?? "";
    const heldByOther = holder !== "" && holder !== identity;
    const expiresAt = (this.#observed?.at ?? 0) + (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (heldByOther && expiresAt > Date.now()) return false;
    const next: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: holder === identity ? (spec.acquireTime ?? microTime(now)) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: holder === identity ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
    };
    try {
      const updated = await this.#options.client.request<Lease>("PUT", this.#path(lease.metadata.name), {
        ...lease,
        spec: next,
      });
      this.#observed = { record: JSON.stringify(updated.spec ?? {}), at: Date.now() };
      return true;
    } catch (error) {
      if (isKubeApiError(error) && error.code === 409) return false;
      throw error;
    }
  }

  async #get(): Promise<Lease | undefined> {
    try {
      return await this.#options.client.request<Lease>("GET", this.#path(this.#options.name));
    } catch (error) {
      if (isKubeApiError(error) && error.code === 404) return undefined;
      throw error;
    }
  }

  #path(name?: string): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${this.#options.namespace}/leases`;
    return name ? `${base}/${name}` : base;
  }

  #setLeading(leading: boolean): void {
    this.#leading = leading;
    this.#options.log.info(
      { lease: this.#options.name, identity: this.#options.identity, leading },
      leading ? "started leading" : "stopped leading",
    );
    if (leading) this.#options.onStartedLeading();
    else this.#options.onStoppedLeading();
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
