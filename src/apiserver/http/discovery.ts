import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";

/**
 * The discovery documents kubectl and client libraries read to map kinds to paths: `/api`, `/apis`,
 * `/apis/{group}`, `/apis/{group}/{version}`, and the aggregated form (apidiscovery.k8s.io/v2)
 * that kubectl 1.26+ asks for first. Rebuilt only when the set of resources changes.
 */
export class Discovery {
  #generation = -1;
  #groups = new Map<string, ResourceType[]>();

  constructor(readonly registry: ResourceRegistry) {}

  coreVersions(serverAddress: string): unknown {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
    };
  }

  groupList(): unknown {
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: this.#groupNames()
        .filter((g) => g !== "")
        .map((g) => this.#group(g)),
    };
  }

  group(name: string): unknown {
    return name !== "" && this.#groupNames().includes(name)
      ? { kind: "APIGroup", apiVersion: "v1", ...this.#group(name) }
      : undefined;
  }

  resourceList(group: string, version: string): unknown {
    const types = this.#types()
      .get(group)
      ?.filter((t) => t.version === version);
    if (!types || types.length === 0) return undefined;
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: group ? `${group}/${version}` : version,
      resources: types.flatMap((t) => [
        {
          name: t.plural,
          singularName: t.singular,
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: t.verbs,
          ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
          ...(t.categories.length > 0 ? { categories: t.categories } : {}),
          storageVersionHash: storageVersionHash(t),
        },
        ...(t.statusSubresource
          ? [
              {
                name: `${t.plural}/status`,
                singularName: "",
                namespaced: t.namespaced,
                kind: t.kind,
                verbs: ["get", "patch", "update"],
              },
            ]
          : []),
      ]),
    };
  }

  /** apidiscovery.k8s.io/v2 APIGroupDiscoveryList for `/api` (core) or `/apis` (named groups). */
  aggregated(core: boolean): unknown {
    const names = this.#groupNames().filter((g) => (core ? g === "" : g !== ""));
    return {
      kind: "APIGroupDiscoveryList",
      apiVersion: "apidiscovery.k8s.io/v2",
      metadata: {},
      items: names.map((name) => ({
        metadata: { name, creationTimestamp: null },
        versions: this.#versions(name).map((version) => ({
          version,
          freshness: "Current",
          resources: (this.#types().get(name) ?? [])
            .filter((t) => t.version === version)
            .map((t) => ({
              resource: t.plural,
              responseKind: { group: t.group, version: t.version, kind: t.kind },
              scope: t.namespaced ? "Namespaced" : "Cluster",
              singularResource: t.singular,
              verbs: t.verbs,
              ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
              ...(t.categories.length > 0 ? { categories: t.categories } : {}),
              ...(t.statusSubresource
                ? {
                    subresources: [
                      {
                        subresource: "status",
                        responseKind: { group: t.group, version: t.version, kind: t.kind },
                        verbs: ["get", "patch", "update"],
                      },
                    ],
                  }
                : {}),
            })),
        })),
      })),
    };
  }

  #group(name: string): Record<string, unknown> {
    const versions = this.#versions(name).map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions, preferredVersion: versions[0] };
  }

  #versions(group: string): string[] {
    return [...new Set((this.#types().get(group) ?? []).map((t) => t.version))].sort(compareKubeVersions);
  }

  #groupNames(): string[] {
    return [...this.#types().keys()];
  }

  #types(): Map<string, ResourceType[]> {
    if (this.#generation !== this.registry.generation) {
      const groups = new Map<string, ResourceType[]>();
      for (const type of this.registry.all()) {
        const list = groups.get(type.group) ?? [];
        list.push(type);
        groups.set(type.group, list);
      }
      for (const list of groups.values()) list.sort((a, b) => a.plural.localeCompare(b.plural));
      this.#groups = groups;
      this.#generation = this.registry.generation;
    }
    return this.#groups;
  }
}

/** kube's version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!match) return undefined;
    const stage = match[2] === undefined ? 3 : match[2] === "beta" ? 2 : 1;
    return [stage, Number(match[1]), Number(match[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) return a.localeCompare(b);
  if (!pa) return 1;
  if (!pb) return -1;
  return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
}

function storageVersionHash(type: ResourceType): string {
  let hash = 0;
  for (const char of `${type.group}/${type.version}/${type.kind}`)
    hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Buffer.from(String(hash >>> 0))
    .toString("base64")
    .slice(0, 11);
}
