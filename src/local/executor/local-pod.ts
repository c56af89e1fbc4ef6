import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { freePort } from "./free-port.js";
import type { Container, HttpProbe, PodTemplate } from "./pod-spec.js";
import { containerPortOf } from "./pod-spec.js";
import type { VolumeSource } from "./pod-volumes.js";
import { materializeVolumes } from "./pod-volumes.js";

/** kubelet's CrashLoopBackOff: 10 s doubling to 5 min, forgotten after 10 min of running. */
export interface RestartBackoff {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const kubeletBackoff: RestartBackoff = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export interface LocalPodOptions {
  namespace: string;
  name: string;
  /** Prefixed to every line the process writes. */
  label: string;
  template: PodTemplate;
  /** The pod's folder: its file system root and its emptyDir volumes. */
  dir: string;
  /** How the container's image runs here, e.g. `[node, dist/cli/main.js]`; the container's args follow. */
  command: string[];
  /** Arguments added after the container's: the local ports and address it must use. */
  localArgs: (container: Container, ports: ReadonlyMap<number, number>) => string[];
  /** Variables added to the container's environment. */
  env?: Record<string, string>;
  source: VolumeSource;
  backoff: RestartBackoff;
  /** How often readiness is probed until the first success after a start. @default 200 */
  startupProbeIntervalMs?: number;
  output: (line: string) => void;
  onChange: () => void;
  log: Logger;
}

/**
 * One replica of a Deployment run as a local process, as kubelet runs a pod: volumes materialized as
 * files, a port of this machine for each container port, readiness and liveness probed over HTTP, the
 * process restarted with kubelet's backoff when it exits or fails its liveness probe, and stopped with
 * SIGTERM, then SIGKILL after the grace period.
 */
export class LocalPod {
  readonly options: LocalPodOptions;
  readonly container: Container;
  /** Container port to the port of this machine it listens on. */
  readonly ports = new Map<number, number>();
  ready = false;
  restarts = 0;
  /** Why the process is not running, when it is not: a missing Secret, a crash. */
  waiting: string | undefined;
  #child: ChildProcess | undefined;
  #stopping = false;
  #timers = new Set<NodeJS.Timeout>();
  #crashes = 0;
  #startedAt = 0;
  /** Counts process starts: probes of an earlier process stop when they see a later one. */
  #generation = 0;

  constructor(options: LocalPodOptions) {
    this.options = options;
    const [container] = options.template.spec.containers;
    if (!container) throw new Error(`pod ${options.namespace}/${options.name} has no container`);
    this.container = container;
  }

  get root(): string {
    return join(this.options.dir, "root");
  }

  async start(): Promise<void> {
    for (const port of this.container.ports ?? [])
      this.ports.set(port.containerPort, await freePort("127.0.0.1"));
    await this.#run();
  }

  /** Rewrites the mounted ConfigMaps and Secrets, as kubelet does when they change. */
  async refreshVolumes(): Promise<void> {
    if (this.#stopping) return;
    try {
      await this.#materialize();
      if (!this.#child && this.waiting?.startsWith("volumes:")) await this.#run();
    } catch (error) {
      this.options.log.debug({ pod: this.options.name, err: error }, "volumes not ready");
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#setReady(false);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const grace = (this.options.template.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const kill = setTimeout(() => child.kill("SIGKILL"), grace);
    await exited;
    clearTimeout(kill);
  }

  async #materialize(): Promise<void> {
    await materializeVolumes({
      root: this.root,
      volumesDir: join(this.options.dir, "volumes"),
      namespace: this.options.namespace,
      container: this.container,
      volumes: this.options.template.spec.volumes ?? [],
      source: this.options.source,
    });
  }

  async #run(): Promise<void> {
    if (this.#stopping) return;
    try {
      await this.#materialize();
    } catch (error) {
      this.waiting = `volumes: ${(error as Error).message}`;
      this.options.log.warn({ pod: this.options.name }, this.waiting);
      return;
    }
    // The pod's mounts are under its root; Switchboard's commands resolve their paths inside it.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      SWITCHBOARD_ROOT: this.root,
      ...this.options.env,
    };
    for (const variable of this.container.env ?? []) env[variable.name] = variable.value ?? "";
    const [program, ...programArgs] = [
      ...this.options.command,
      ...(this.container.args ?? []),
      ...this.options.localArgs(this.container, this.ports),
    ];
    if (!program) throw new Error(`pod ${this.options.name}: no command to run`);
    const child = spawn(program, programArgs, { env, stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    const generation = ++this.#generation;
    this.#startedAt = Date.now();
    this.waiting = undefined;
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on("line", (line) =>
        this.options.output(`${this.options.label} | ${line}`),
      );
    child.once("exit", (code, signal) => this.#exited(child, code, signal));
    this.#probeReadiness(this.container.readinessProbe, true, generation);
    this.#probeLiveness(this.container.livenessProbe, generation);
  }

  #exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#child !== child) return;
    this.#child = undefined;
    this.#setReady(false);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#stopping) return;
    const { initialMs, maxMs, resetAfterMs } = this.options.backoff;
    if (Date.now() - this.#startedAt >= resetAfterMs) this.#crashes = 0;
    this.#crashes++;
    this.restarts++;
    const delay = Math.min(initialMs * 2 ** (this.#crashes - 1), maxMs);
    this.waiting = `CrashLoopBackOff: exited with ${signal ?? `code ${code}`}; restarting in ${delay / 1000}s`;
    this.options.output(`${this.options.label} | ${this.waiting}`);
    this.options.onChange();
    this.#after(delay, () => void this.#run());
  }

  #probeReadiness(probe: HttpProbe | undefined, starting: boolean, generation: number): void {
    if (!probe?.httpGet) {
      this.#setReady(true);
      return;
    }
    const period = starting
      ? (this.options.startupProbeIntervalMs ?? 200)
      : (probe.periodSeconds ?? 10) * 1000;
    let failures = 0;
    const check = async (): Promise<void> => {
      const ok = await this.#get(probe);
      if (generation !== this.#generation || !this.#child) return;
      failures = ok ? 0 : failures + 1;
      if (ok) this.#setReady(true);
      else if (failures >= (probe.failureThreshold ?? 3)) this.#setReady(false);
      if (ok && starting) return this.#probeReadiness(probe, false, generation);
      this.#after(period, () => void check());
    };
    this.#after(starting ? (probe.initialDelaySeconds ?? 0) * 1000 : period, () => void check());
  }

  #probeLiveness(probe: HttpProbe | undefined, generation: number): void {
    if (!probe?.httpGet) return;
    const period = (probe.periodSeconds ?? 10) * 1000;
    let failures = 0;
    const check = async (): Promise<void> => {
      const ok = await this.#get(probe);
      if (generation !== this.#generation || !this.#child) return;
      failures = ok ? 0 : failures + 1;
      if (failures >= (probe.failureThreshold ?? 3)) {
        this.options.output(`${this.options.label} | liveness probe failed ${failures} times: restarting`);
        this.#child?.kill("SIGKILL");
        return;
      }
      this.#after(period, () => void check());
    };
    this.#after((probe.initialDelaySeconds ?? 0) * 1000 + period, () => void check());
  }

  async #get(probe: HttpProbe): Promise<boolean> {
    const get = probe.httpGet;
    const containerPort = get ? containerPortOf(this.container, get.port) : undefined;
    const port = containerPort === undefined ? undefined : this.ports.get(containerPort);
    if (!get || port === undefined) return false;
    try {
      const response = await fetch(`http://127.0.0.1:${port}${get.path ?? "/"}`, {
        signal: AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000),
      });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400;
    } catch {
      return false;
    }
  }

  #after(ms: number, run: () => void): void {
    if (this.#stopping) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }

  #setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.ready = ready;
    this.options.onChange();
  }
}
