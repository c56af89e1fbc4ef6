import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { KubeObject } from "../../apiserver/types.js";
import { manifestFiles, parseManifests } from "../../manifests/load-manifests.js";
import type { KubeClient } from "../../operator/kube/kube-client.js";
import { isKubeApiError } from "../../operator/kube/kube-client.js";
import { ResourcePaths } from "./resource-paths.js";

export const fieldManager = "switchboard-dev";

/** Kinds others depend on come first, as Helm and Argo CD order them. */
const kindOrder = [
  "Namespace",
  "CustomResourceDefinition",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "IntegrationPolicy",
  "ClusterConnector",
  "Connector",
  "Credential",
  "Integration",
];
const rank = (kind: string) => {
  const index = kindOrder.indexOf(kind);
  return index === -1 ? kindOrder.length : index;
};

interface Applied {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  name: string;
}
const idOf = (a: Applied) => `${a.apiVersion}/${a.kind}/${a.namespace ?? ""}/${a.name}`;

export interface ManifestSyncOptions {
  client: KubeClient;
  /** The folders or files to apply. */
  paths: string[];
  /** Namespace of namespaced objects that name none. @default "default" */
  namespace?: string;
  /**
   * Where what each file applied is kept, so a restarted sync still deletes what left the files while
   * it was stopped. In memory only when unset.
   */
  recordFile?: string;
  /** What was applied, deleted or refused, one line each. */
  report: (line: string, level: "info" | "error") => void;
}

/**
 * Keeps the API server in step with folders of manifests, as `kubectl apply --server-side --prune`
 * run on every save would: each object applied (server-side apply, field manager `switchboard-dev`),
 * dependencies first; an object gone from its file, or whose file is gone, deleted. A file that does
 * not parse or an object the server refuses is reported, naming the file and the object, and the rest
 * carries on.
 */
export class ManifestSync {
  readonly #options: ManifestSyncOptions;
  readonly #paths: ResourcePaths;
  /** What each file last applied, and the text it was applied from. */
  readonly #files = new Map<string, { text: string; objects: Applied[] }>();
  readonly #watchers: FSWatcher[] = [];
  /** Whether a kind is namespaced, as discovery said, by `apiVersion/kind`. */
  readonly #namespaced = new Map<string, boolean>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #recordLoaded = false;

  constructor(options: ManifestSyncOptions) {
    this.#options = options;
    this.#paths = new ResourcePaths(options.client);
  }

  /** The objects applied so far. */
  objects(): Applied[] {
    return [...this.#files.values()].flatMap((f) => f.objects);
  }

  /** Applies everything once; resolves when done. */
  sync(): Promise<void> {
    this.#running = this.#running.then(() => this.#sync()).catch(() => undefined);
    return this.#running;
  }

  /** Syncs again shortly after any change under the paths. */
  watch(): void {
    for (const path of this.#options.paths) {
      const watcher = watch(path, { recursive: true }, () => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => void this.sync(), 150);
      });
      watcher.on("error", (error) => this.#options.report(`${path}: ${error.message}`, "error"));
      this.#watchers.push(watcher);
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
    await this.#running;
  }

  async #sync(): Promise<void> {
    await this.#loadRecord();
    const files: string[] = [];
    for (const path of this.#options.paths) {
      try {
        files.push(...(await manifestFiles(path)));
      } catch (error) {
        this.#options.report(`${path}: ${(error as Error).message}`, "error");
      }
    }
    const changed: { file: string; text: string; objects: KubeObject[] }[] = [];
    for (const file of files) {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined || this.#files.get(file)?.text === text) continue;
      try {
        changed.push({ file, text, objects: parseManifests(text, file).map((m) => m.object) });
      } catch (error) {
        this.#options.report((error as Error).message, "error");
      }
    }
    const pending = changed
      .flatMap(({ file, objects }) => objects.map((object) => ({ file, object })))
      .sort((a, b) => rank(a.object.kind) - rank(b.object.kind));
    const applied = new Set<string>();
    for (const { file, object } of pending) {
      const done = await this.#apply(file, object);
      if (done) applied.add(idOf(done));
    }
    const stale: Applied[] = [];
    for (const file of [...this.#files.keys()].filter((f) => !files.includes(f))) {
      stale.push(...(this.#files.get(file)?.objects ?? []));
      this.#files.delete(file);
    }
    for (const { file, text, objects } of changed) {
      const previous = this.#files.get(file)?.objects ?? [];
      const wanted = objects.map((o) => this.#identify(o));
      const wantedIds = new Set(wanted.map(idOf));
      const previousIds = new Set(previous.map(idOf));
      stale.push(...previous.filter((o) => !wantedIds.has(idOf(o))));
      // A refused object keeps what was applied before it; its file is tried again at the next sync.
      const refused = wanted.some((o) => !applied.has(idOf(o)));
      this.#files.set(file, {
        text: refused ? "" : text,
        objects: wanted.filter((o) => applied.has(idOf(o)) || previousIds.has(idOf(o))),
      });
    }
    const stillApplied = new Set(this.objects().map(idOf));
    for (const object of stale.sort((a, b) => rank(b.kind) - rank(a.kind)))
      if (!stillApplied.has(idOf(object))) await this.#delete(object);
    await this.#saveRecord();
  }

  async #loadRecord(): Promise<void> {
    const file = this.#options.recordFile;
    if (!file || this.#recordLoaded) return;
    this.#recordLoaded = true;
    const text = await readFile(file, "utf8").catch(() => "");
    if (!text) return;
    // The texts are not kept: every file is applied again, then compared with what it applied before.
    for (const [path, objects] of Object.entries(JSON.parse(text) as Record<string, Applied[]>))
      this.#files.set(path, { text: "", objects });
  }

  async #saveRecord(): Promise<void> {
    const file = this.#options.recordFile;
    if (!file) return;
    const record = Object.fromEntries([...this.#files].map(([path, { objects }]) => [path, objects]));
    await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  }

  /** An object's identity as applied: namespaced kinds get the default namespace when they name none. */
  #identify(object: KubeObject): Applied {
    const namespace = this.#namespaced.get(`${object.apiVersion}/${object.kind}`)
      ? (object.metadata.namespace ?? this.#options.namespace ?? "default")
      : undefined;
    return { apiVersion: object.apiVersion, kind: object.kind, namespace, name: object.metadata.name ?? "" };
  }

  async #apply(file: string, object: KubeObject): Promise<Applied | undefined> {
    const name = object.metadata.name ?? "";
    const what = `${object.kind}/${name}`;
    try {
      const namespaced = await this.#paths.namespaced(object.apiVersion, object.kind);
      this.#namespaced.set(`${object.apiVersion}/${object.kind}`, namespaced);
      const namespace = namespaced
        ? (object.metadata.namespace ?? this.#options.namespace ?? "default")
        : undefined;
      const body = namespaced ? { ...object, metadata: { ...object.metadata, namespace } } : object;
      const path = await this.#paths.path(object.apiVersion, object.kind, namespace, name);
      await this.#options.client.request(
        "PATCH",
        `${path}?fieldManager=${fieldManager}&force=true`,
        body,
        "application/apply-patch+yaml",
      );
      this.#options.report(`applied ${what}${namespace ? ` in ${namespace}` : ""} (${file})`, "info");
      return { apiVersion: object.apiVersion, kind: object.kind, namespace, name };
    } catch (error) {
      this.#options.report(`${file}: ${what}: ${(error as Error).message}`, "error");
      return undefined;
    }
  }

  async #delete(object: Applied): Promise<void> {
    try {
      await this.#options.client.request(
        "DELETE",
        await this.#paths.path(object.apiVersion, object.kind, object.namespace, object.name),
      );
      this.#options.report(`deleted ${object.kind}/${object.name}: gone from the manifests`, "info");
    } catch (error) {
      if (isKubeApiError(error) && error.code === 404) return;
      this.#options.report(
        `could not delete ${object.kind}/${object.name}: ${(error as Error).message}`,
        "error",
      );
    }
  }
}
