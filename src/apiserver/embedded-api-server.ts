import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Server } from "node:http";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { pino } from "pino";
import { registerWebhookAdmission } from "./admission/webhook-admission.js";
import { CrdController } from "./controllers/crd-controller.js";
import { GarbageCollector } from "./controllers/garbage-collector.js";
import { NamespaceController } from "./controllers/namespace-controller.js";
import { FaultInjector } from "./faults/fault-injector.js";
import { WatchRegistry } from "./handlers/watch-handler.js";
import type { WatchSettings } from "./handlers/watch-handler.js";
import { TokenAuthority } from "./auth/token-authority.js";
import { adminEndpoints } from "./http/admin-endpoints.js";
import { Discovery } from "./http/discovery.js";
import { OpenApi } from "./http/openapi.js";
import { RequestStats } from "./http/request-stats.js";
import { serviceProxy } from "./http/service-proxy.js";
import { createRouter } from "./http/router.js";
import { buildSelection } from "./http/selection-builder.js";
import { TableConverter } from "./http/table.js";
import { renderKubeconfig } from "./kubeconfig.js";
import { builtinResources } from "./resources/builtin-resources.js";
import { ResourceRegistry } from "./resources/resource-registry.js";
import type { StoreSnapshot } from "./storage/object-store.js";
import { ObjectStore } from "./storage/object-store.js";
import { ResourceStorage } from "./storage/resource-storage.js";
import { strategies } from "./strategies/strategy-table.js";
import { managedFieldsTracker } from "./storage/managed-fields-tracker.js";
import { createServingIdentity } from "./serving-identity.js";
import type { KubeObject } from "./types.js";

export interface EmbeddedApiServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Address to listen on. @default "127.0.0.1" */
  host?: string;
  /** Serve HTTPS with a generated CA, as a real cluster does. @default true */
  tls?: boolean;
  /** The bearer token clients must send. @default a random token */
  token?: string;
  /** CustomResourceDefinitions to install before serving. */
  crds?: KubeObject[];
  /** Namespaces to create besides the system ones, e.g. `switchboard-system`. */
  namespaces?: string[];
  /** Changes kept per resource for watches to resume from; older versions get 410 Gone. @default 1000 */
  watchCacheSize?: number;
  /**
   * A file the server keeps its objects in: loaded at start, written soon after changes and at stop.
   * Without it the server starts empty every time, as the tests want.
   */
  stateFile?: string;
  /** How often idle watches get a BOOKMARK. @default 60000 */
  bookmarkIntervalMs?: number;
  logger?: Logger;
}

export interface RunningApiServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  token: string;
  /** PEM of the CA that signed the serving certificate (undefined over plain HTTP). */
  caPem: string | undefined;
  /** A kubeconfig for kubectl and client libraries. */
  kubeconfig: string;
}

/**
 * An in-memory Kubernetes API server that speaks the real HTTP API: discovery, OpenAPI, CRUD with
 * optimistic concurrency, watch with bookmarks and 410 Gone, patches and server-side apply,
 * finalizers and garbage collection, CRDs served at run time with structural schema validation.
 * The tests run it in process; `switchboard apiserver` and local mode run it standalone.
 */
export class EmbeddedApiServer {
  readonly registry = new ResourceRegistry(builtinResources());
  readonly store: ObjectStore;
  readonly storage: ResourceStorage;
  readonly faults: FaultInjector;
  /** Who bearer tokens are: the server's own, and ServiceAccount tokens from the TokenRequest API. */
  tokens: TokenAuthority | undefined;
  readonly stats = new RequestStats();
  readonly watches = new WatchRegistry();
  readonly garbageCollector: GarbageCollector;
  readonly log: Logger;
  readonly #options: EmbeddedApiServerOptions;
  #server: Server | undefined;
  #running: RunningApiServer | undefined;
  readonly #crds: CrdController;
  #saving: Promise<void> | undefined;
  #saveTimer: NodeJS.Timeout | undefined;

  constructor(options: EmbeddedApiServerOptions = {}) {
    this.#options = options;
    this.log = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? "warn", name: "apiserver" });
    this.store = new ObjectStore(options.watchCacheSize ?? 1000);
    this.storage = new ResourceStorage(this.store, managedFieldsTracker(), strategies(this.registry));
    this.faults = new FaultInjector(() => this.watches.closeAll());
    this.garbageCollector = new GarbageCollector(this.storage, this.registry);
    new NamespaceController(this.storage, this.registry);
    this.#crds = new CrdController(this.storage, this.store, this.registry, this.watches);
    registerWebhookAdmission({
      storage: this.storage,
      store: this.store,
      registry: this.registry,
      log: this.log,
    });
  }

  get running(): RunningApiServer {
    if (!this.#running) throw new Error("the API server is not started: call start() first");
    return this.#running;
  }

  async start(): Promise<RunningApiServer> {
    if (this.#running) return this.#running;
    const host = this.#options.host ?? "127.0.0.1";
    const token = this.#options.token ?? randomBytes(24).toString("base64url");
    this.tokens = new TokenAuthority(token, this.registry, this.storage);
    await this.#load();
    await this.#bootstrap();
    const watchSettings: WatchSettings = {
      bookmarkIntervalMs: this.#options.bookmarkIntervalMs ?? 60_000,
      defaultTimeoutSeconds: 1800,
      maxBufferedBytes: 64 * 1024 * 1024,
    };
    let address = "";
    const router = createRouter({
      registry: this.registry,
      storage: this.storage,
      discovery: new Discovery(this.registry),
      openapi: new OpenApi(this.registry),
      tables: new TableConverter(),
      watches: this.watches,
      watchSettings,
      faults: this.faults,
      stats: this.stats,
      write: { storage: this.storage },
      selection: buildSelection,
      admin: adminEndpoints(this.faults, this.stats, this.store),
      authenticate: (request) => {
        const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1]?.trim();
        return bearer === undefined ? undefined : this.tokens?.authenticate(bearer);
      },
      tokens: (request, response, path) =>
        this.tokens?.handle(request, response, path) ?? Promise.resolve(false),
      proxy: serviceProxy(this.storage, this.registry),
      version: versionInfo(),
      serverAddress: () => address,
      log: this.log,
    });
    const identity = this.#options.tls === false ? undefined : await createServingIdentity(host);
    const server = identity
      ? createHttpsServer({ cert: identity.certPem, key: identity.keyPem }, router)
      : createHttpServer(router);
    server.keepAliveTimeout = 65_000;
    server.on("clientError", (_error, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.#options.port ?? 0, host, () => resolve());
    });
    this.#server = server;
    const port = (server.address() as AddressInfo).port;
    address = `${host}:${port}`;
    const url = `${identity ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
    this.#running = {
      url,
      token,
      caPem: identity?.caPem,
      kubeconfig: renderKubeconfig({ server: url, token, ...(identity ? { caPem: identity.caPem } : {}) }),
    };
    this.log.info({ url }, "API server listening");
    return this.#running;
  }

  /** Forgets every resource's watch window: a watch resuming from an older resourceVersion gets 410 Gone. */
  compact(): number {
    for (const collection of this.store.collections()) collection.compact(this.store.revision);
    return this.store.revision;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#running = undefined;
    this.watches.closeAll();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    clearTimeout(this.#saveTimer);
    await this.#save();
  }

  async #load(): Promise<void> {
    const file = this.#options.stateFile;
    if (!file) return;
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      text = "";
    }
    if (text) {
      try {
        this.store.restore(JSON.parse(text) as StoreSnapshot);
      } catch (error) {
        throw new Error(
          `${file}: not a saved API server state (${(error as Error).message}); remove it to start empty`,
          {
            cause: error,
          },
        );
      }
      this.#crds.serveStored();
      this.log.info({ file, revision: this.store.revision }, "state restored");
    }
    this.storage.onCommit(() => {
      this.#saveTimer ??= setTimeout(() => {
        this.#saveTimer = undefined;
        void this.#save();
      }, 250);
    });
  }

  /** Writes the state file (a new file renamed over the old one, so a crash leaves one or the other). */
  async #save(): Promise<void> {
    const file = this.#options.stateFile;
    if (!file) return;
    await this.#saving;
    this.#saving = (async () => {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(this.store.snapshot()));
      await rename(`${file}.tmp`, file);
    })().catch((error: unknown) => this.log.error({ err: error, file }, "could not save the state"));
    await this.#saving;
  }

  /** The system namespaces of a fresh cluster, the namespaces and the CRDs given in the options. */
  async #bootstrap(): Promise<void> {
    const namespaces = this.registry.lookup("", "v1", "namespaces");
    if (!namespaces) throw new Error("namespaces are not registered");
    const system = ["default", "kube-system", "kube-public", "kube-node-lease"];
    for (const name of [...system, ...(this.#options.namespaces ?? [])]) {
      if (this.storage.find(namespaces, undefined, name)) continue;
      await this.storage.create(
        namespaces,
        undefined,
        { apiVersion: "v1", kind: "Namespace", metadata: { name } },
        { fieldManager: "kube-apiserver" },
      );
    }
    const crdType = this.registry.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    if (!crdType) throw new Error("customresourcedefinitions are not registered");
    for (const crd of this.#options.crds ?? []) {
      const stored = this.storage.find(crdType, undefined, crd.metadata.name ?? "");
      if (!stored) await this.storage.create(crdType, undefined, crd, { fieldManager: "switchboard" });
      else if (!isDeepStrictEqual(stored.spec, crd.spec))
        // A restored state with an older version of the CRD: this version's schema is served.
        await this.storage.update(
          crdType,
          undefined,
          crd.metadata.name ?? "",
          { ...stored, spec: crd.spec },
          { fieldManager: "switchboard" },
        );
    }
  }
}

function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0+switchboard",
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: "2026-01-01T00:00:00Z",
    goVersion: `node${process.versions.node}`,
    compiler: "node",
    platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}
