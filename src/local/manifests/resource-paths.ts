import type { KubeClient } from "../../operator/kube/kube-client.js";

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/**
 * The REST path of an object from its apiVersion and kind, found through discovery as kubectl finds
 * it; answers are cached per group version and asked again when a kind is unknown (a CRD just added).
 */
export class ResourcePaths {
  readonly #cache = new Map<string, ApiResource[]>();

  constructor(readonly client: KubeClient) {}

  async path(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
  ): Promise<string> {
    const resource = await this.#resource(apiVersion, kind);
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const scope = resource.namespaced ? `/namespaces/${namespace ?? "default"}` : "";
    return `${base}${scope}/${resource.name}${name ? `/${encodeURIComponent(name)}` : ""}`;
  }

  async namespaced(apiVersion: string, kind: string): Promise<boolean> {
    return (await this.#resource(apiVersion, kind)).namespaced;
  }

  async #resource(apiVersion: string, kind: string): Promise<ApiResource> {
    const find = () => this.#cache.get(apiVersion)?.find((r) => r.kind === kind && !r.name.includes("/"));
    let resource = find();
    if (!resource) {
      const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      try {
        const list = await this.client.request<{ resources: ApiResource[] }>("GET", base);
        this.#cache.set(apiVersion, list.resources);
      } catch {
        throw new Error(`${apiVersion} is not served by the API server (is its CRD installed?)`);
      }
      resource = find();
    }
    if (!resource) throw new Error(`${apiVersion} has no kind ${kind}`);
    return resource;
  }
}
