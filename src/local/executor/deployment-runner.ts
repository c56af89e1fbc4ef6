import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { KubeObject } from "../../apiserver/types.js";
import type { LocalPodOptions } from "./local-pod.js";
import type { LocalPod } from "./local-pod.js";
import type { PodTemplate } from "./pod-spec.js";

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas?: number;
  conditions: { type: string; status: "True" | "False"; reason: string; message: string }[];
}

export type PodFactory = (
  options: Pick<LocalPodOptions, "namespace" | "name" | "template" | "dir">,
) => LocalPod;

/**
 * The ReplicaSet controller and the kubelet for one Deployment, locally: one pod per replica slot, a
 * changed pod template rolled out one slot at a time (the slot's process stopped, then its successor
 * started and waited for, so a slot's journal is never open twice), slots beyond the replica count
 * stopped, and the status kube-controller-manager would write.
 */
export class DeploymentRunner {
  readonly namespace: string;
  readonly name: string;
  #deployment: KubeObject;
  readonly #pods: (LocalPod | undefined)[] = [];
  readonly #hashes: string[] = [];
  readonly #dir: string;
  readonly #create: PodFactory;
  #work: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(deployment: KubeObject, dir: string, create: PodFactory) {
    this.namespace = deployment.metadata.namespace ?? "default";
    this.name = deployment.metadata.name ?? "";
    this.#deployment = deployment;
    this.#dir = dir;
    this.#create = create;
  }

  get template(): PodTemplate {
    return (this.#deployment.spec as { template: PodTemplate }).template;
  }

  /** The running pods, for Service endpoints. */
  pods(): LocalPod[] {
    return this.#pods.filter((pod): pod is LocalPod => pod !== undefined);
  }

  /** Brings the pods to the Deployment's spec; changes are applied in order, one at a time. */
  update(deployment: KubeObject): Promise<void> {
    this.#deployment = deployment;
    this.#work = this.#work.then(() => this.#sync()).catch(() => undefined);
    return this.#work;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#work;
    await Promise.all(this.pods().map((pod) => pod.stop()));
    this.#pods.length = 0;
  }

  status(): DeploymentStatus {
    const spec = this.#deployment.spec as { replicas?: number };
    const desired = spec.replicas ?? 1;
    const hash = templateHash(this.template);
    const pods = this.pods();
    const ready = pods.filter((pod) => pod.ready).length;
    const updated = this.#hashes.filter((h, slot) => h === hash && this.#pods[slot]).length;
    const available = ready >= desired;
    const complete = available && updated === desired && pods.length === desired;
    const waiting = pods.find((pod) => pod.waiting)?.waiting;
    return {
      observedGeneration: this.#deployment.metadata.generation ?? 0,
      replicas: pods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(desired > ready ? { unavailableReplicas: desired - ready } : {}),
      conditions: [
        {
          type: "Available",
          status: available ? "True" : "False",
          reason: available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          message: available
            ? "Deployment has minimum availability."
            : `Deployment does not have minimum availability${waiting ? `: ${waiting}` : "."}`,
        },
        {
          type: "Progressing",
          status: "True",
          reason: complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
          message: complete
            ? `ReplicaSet "${this.name}-${hash}" has successfully progressed.`
            : `ReplicaSet "${this.name}-${hash}" is progressing.`,
        },
      ],
    };
  }

  async #sync(): Promise<void> {
    if (this.#stopped) return;
    const desired = (this.#deployment.spec as { replicas?: number }).replicas ?? 1;
    const template = this.template;
    const hash = templateHash(template);
    for (let slot = 0; slot < desired && !this.#stopped; slot++) {
      const current = this.#pods[slot];
      if (current && this.#hashes[slot] === hash) continue;
      await current?.stop();
      const pod = this.#create({
        namespace: this.namespace,
        name: `${this.name}-${hash}-${slot}`,
        template,
        dir: join(this.#dir, String(slot)),
      });
      this.#pods[slot] = pod;
      this.#hashes[slot] = hash;
      await pod.start();
      if (current && slot + 1 < desired) await readyOrTimeout(pod, 30_000);
    }
    for (let slot = this.#pods.length - 1; slot >= desired; slot--) {
      await this.#pods[slot]?.stop();
      this.#pods.length = slot;
      this.#hashes.length = slot;
      await rm(join(this.#dir, String(slot)), { recursive: true, force: true });
    }
  }
}

/** Like the pod-template-hash label: the same template, the same hash. */
export function templateHash(template: PodTemplate): string {
  return createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);
}

async function readyOrTimeout(pod: LocalPod, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pod.ready && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
