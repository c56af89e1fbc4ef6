import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { localAddressesAnnotation } from "../../apiserver/http/service-proxy.js";
import type { KubeObject } from "../../apiserver/types.js";
import { Informer } from "../../operator/informer/informer.js";
import { KubeClient } from "../../operator/kube/kube-client.js";
import { DeploymentRunner } from "./deployment-runner.js";
import type { RestartBackoff } from "./local-pod.js";
import { kubeletBackoff, LocalPod } from "./local-pod.js";
import type { Container } from "./pod-spec.js";
import { containerPortOf } from "./pod-spec.js";
import type { ServicePort } from "./service-proxy.js";
import { ServiceProxy } from "./service-proxy.js";

export { localAddressesAnnotation };

export interface LocalExecutorOptions {
  kubeConfig: KubeConfig;
  /** Pods' folders and the Service port assignments. */
  workDir: string;
  /** How the containers' image runs here, e.g. `[node, dist/cli/main.js]`. */
  command: string[];
  /** Arguments added to a container's: the local ports and address it must use. */
  localArgs: (container: Container, ports: ReadonlyMap<number, number>) => string[];
  /** Which Deployments and Services are run here. @default app.kubernetes.io/managed-by=switchboard-operator */
  labelSelector?: string;
  backoff?: RestartBackoff;
  /** Where the processes' output goes, each line prefixed with its pod's name. @default stdout */
  output?: (line: string) => void;
  log: Logger;
}

type Key = string;
const keyOf = (object: KubeObject): Key =>
  `${object.metadata.namespace ?? "default"}/${object.metadata.name}`;

/**
 * Runs a cluster's Deployments and Services on this machine, for local mode: what kube-controller-manager,
 * kubelet and kube-proxy do for them in a cluster. Deployments become local processes (see
 * `DeploymentRunner`, `LocalPod`) whose status is written back; each Service port gets a port of this
 * machine, forwarded to its ready pods and recorded on the Service in an annotation.
 */
export class LocalExecutor {
  readonly #options: LocalExecutorOptions;
  readonly #client: KubeClient;
  readonly #runners = new Map<Key, DeploymentRunner>();
  readonly #proxies = new Map<Key, { proxy: ServiceProxy; spec: string }>();
  readonly #informers: Record<"deployments" | "services" | "secrets" | "configmaps", Informer>;
  readonly #statusTimers = new Map<Key, NodeJS.Timeout>();
  readonly #written = new Map<Key, string>();
  #assignedPorts: Record<Key, Record<string, number>> = {};
  #work: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: LocalExecutorOptions) {
    this.#options = options;
    this.#client = new KubeClient(options.kubeConfig);
    const selector = options.labelSelector ?? "app.kubernetes.io/managed-by=switchboard-operator";
    const informer = (path: string, labelSelector?: string) =>
      new Informer({
        client: this.#client,
        path,
        log: options.log,
        ...(labelSelector ? { labelSelector } : {}),
      });
    this.#informers = {
      deployments: informer("/apis/apps/v1/deployments", selector),
      services: informer("/api/v1/services", selector),
      secrets: informer("/api/v1/secrets"),
      configmaps: informer("/api/v1/configmaps"),
    };
  }

  /** Local addresses of the Services run here, by `namespace/name`. */
  addresses(): Map<Key, ReadonlyMap<string, string>> {
    return new Map([...this.#proxies].map(([key, { proxy }]) => [key, proxy.addresses]));
  }

  /** Every Deployment's pods, by `namespace/name`. */
  pods(): Map<Key, LocalPod[]> {
    return new Map([...this.#runners].map(([key, runner]) => [key, runner.pods()]));
  }

  async start(): Promise<void> {
    await mkdir(this.#options.workDir, { recursive: true });
    this.#assignedPorts = await readFile(this.#portsFile, "utf8").then(
      (text) => JSON.parse(text) as Record<Key, Record<string, number>>,
      () => ({}),
    );
    const { deployments, services, secrets, configmaps } = this.#informers;
    const serial = (run: () => Promise<void>) => {
      this.#work = this.#work.then(run).catch((error: unknown) => this.#options.log.error({ err: error }));
    };
    deployments.on("add", (d) => serial(() => this.#deploy(d)));
    deployments.on("update", (d) => serial(() => this.#deploy(d)));
    deployments.on("delete", (d) => serial(() => this.#undeploy(d)));
    services.on("add", (s) => serial(() => this.#expose(s)));
    services.on("update", (s) => serial(() => this.#expose(s)));
    services.on("delete", (s) => serial(() => this.#unexpose(s)));
    for (const informer of [secrets, configmaps]) {
      informer.on("update", () => this.#refreshVolumes());
      informer.on("add", () => this.#refreshVolumes());
    }
    await Promise.all([secrets.start(), configmaps.start()]);
    await Promise.all([deployments.start(), services.start()]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const informer of Object.values(this.#informers)) informer.stop();
    await this.#work;
    for (const timer of this.#statusTimers.values()) clearTimeout(timer);
    await Promise.all([...this.#runners.values()].map((runner) => runner.stop()));
    await Promise.all([...this.#proxies.values()].map(({ proxy }) => proxy.close()));
  }

  get #portsFile(): string {
    return join(this.#options.workDir, "service-ports.json");
  }

  #deploy(deployment: KubeObject): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const key = keyOf(deployment);
    let runner = this.#runners.get(key);
    if (!runner) {
      runner = new DeploymentRunner(deployment, join(this.#options.workDir, "pods", key), (pod) =>
        this.#pod(key, pod),
      );
      this.#runners.set(key, runner);
    }
    // Not awaited: a rollout waits for readiness, which must not hold up other objects' events.
    void runner.update(deployment).then(() => this.#scheduleStatus(key));
    this.#scheduleStatus(key);
    return Promise.resolve();
  }

  #pod(
    key: Key,
    pod: Pick<ConstructorParameters<typeof LocalPod>[0], "namespace" | "name" | "template" | "dir">,
  ): LocalPod {
    const integration = pod.template.metadata?.labels?.["switchboard.dev/integration"];
    return new LocalPod({
      ...pod,
      label: integration ? `${pod.namespace}/${integration}` : pod.name,
      command: this.#options.command,
      localArgs: this.#options.localArgs,
      source: (kind, namespace, name) => this.#volumeData(kind, namespace, name),
      backoff: this.#options.backoff ?? kubeletBackoff,
      output: this.#options.output ?? ((line) => process.stdout.write(`${line}\n`)),
      onChange: () => this.#scheduleStatus(key),
      log: this.#options.log,
    });
  }

  async #undeploy(deployment: KubeObject): Promise<void> {
    const key = keyOf(deployment);
    const runner = this.#runners.get(key);
    this.#runners.delete(key);
    this.#written.delete(key);
    await runner?.stop();
    await rm(join(this.#options.workDir, "pods", key), { recursive: true, force: true });
  }

  async #expose(service: KubeObject): Promise<void> {
    if (this.#stopped) return;
    const key = keyOf(service);
    const spec = service.spec as { selector?: Record<string, string>; ports?: ServicePort[] };
    const specText = JSON.stringify(spec);
    let entry = this.#proxies.get(key);
    if (entry?.spec !== specText) {
      await entry?.proxy.close();
      const proxy = new ServiceProxy(spec.ports ?? [], (port) =>
        this.#endpoints(service.metadata.namespace ?? "default", spec.selector ?? {}, port),
      );
      await proxy.listen(new Map(Object.entries(this.#assignedPorts[key] ?? {})));
      entry = { proxy, spec: specText };
      this.#proxies.set(key, entry);
      this.#assignedPorts[key] = Object.fromEntries(
        [...proxy.addresses].map(([name, address]) => [name, Number(address.split(":").pop())]),
      );
      await writeFile(this.#portsFile, `${JSON.stringify(this.#assignedPorts, null, 2)}\n`);
    }
    const annotation = JSON.stringify(Object.fromEntries(entry.proxy.addresses));
    if (service.metadata.annotations?.[localAddressesAnnotation] === annotation) return;
    await this.#client.request(
      "PATCH",
      `/api/v1/namespaces/${service.metadata.namespace}/services/${service.metadata.name}?fieldManager=switchboard-local`,
      { metadata: { annotations: { [localAddressesAnnotation]: annotation } } },
      "application/merge-patch+json",
    );
  }

  async #unexpose(service: KubeObject): Promise<void> {
    const key = keyOf(service);
    await this.#proxies.get(key)?.proxy.close();
    this.#proxies.delete(key);
  }

  /** Ports of the ready pods the selector picks, for one Service port. */
  #endpoints(namespace: string, selector: Record<string, string>, port: ServicePort): number[] {
    const selected = Object.entries(selector);
    if (selected.length === 0) return [];
    const ports: number[] = [];
    for (const runner of this.#runners.values()) {
      if (runner.namespace !== namespace) continue;
      const labels = runner.template.metadata?.labels ?? {};
      if (!selected.every(([k, v]) => labels[k] === v)) continue;
      for (const pod of runner.pods()) {
        const containerPort = containerPortOf(pod.container, port.targetPort ?? port.port);
        const local = containerPort === undefined ? undefined : pod.ports.get(containerPort);
        if (pod.ready && local !== undefined) ports.push(local);
      }
    }
    return ports;
  }

  #volumeData(
    kind: "ConfigMap" | "Secret",
    namespace: string,
    name: string,
  ): Map<string, Buffer> | undefined {
    const object = (kind === "Secret" ? this.#informers.secrets : this.#informers.configmaps).get(
      namespace,
      name,
    );
    if (!object) return undefined;
    const data = new Map<string, Buffer>();
    const record = object as KubeObject & {
      data?: Record<string, string>;
      binaryData?: Record<string, string>;
    };
    for (const [k, v] of Object.entries(record.data ?? {}))
      data.set(k, kind === "Secret" ? Buffer.from(v, "base64") : Buffer.from(v));
    for (const [k, v] of Object.entries(record.binaryData ?? {})) data.set(k, Buffer.from(v, "base64"));
    return data;
  }

  #refreshVolumes(): void {
    for (const runner of this.#runners.values()) for (const pod of runner.pods()) void pod.refreshVolumes();
  }

  /** Status writes coalesced per Deployment, and only when something changed. */
  #scheduleStatus(key: Key): void {
    if (this.#stopped || this.#statusTimers.has(key)) return;
    this.#statusTimers.set(
      key,
      setTimeout(() => {
        this.#statusTimers.delete(key);
        void this.#writeStatus(key).catch((error: unknown) =>
          this.#options.log.warn({ err: error, deployment: key }, "could not write the Deployment's status"),
        );
      }, 50),
    );
  }

  async #writeStatus(key: Key): Promise<void> {
    const runner = this.#runners.get(key);
    if (!runner || this.#stopped) return;
    const status = runner.status();
    const text = JSON.stringify(status);
    if (this.#written.get(key) === text) return;
    await this.#client.request(
      "PATCH",
      `/apis/apps/v1/namespaces/${runner.namespace}/deployments/${runner.name}/status?fieldManager=switchboard-local`,
      { status },
      "application/merge-patch+json",
    );
    this.#written.set(key, text);
  }
}
