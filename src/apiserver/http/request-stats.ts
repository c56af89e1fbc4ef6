import type { ResourceRequestInfo } from "./request-info.js";

const writeVerbs = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/**
 * Counts of resource requests by verb and resource, so tests and benchmarks can measure what a
 * client does to the API server (for instance: no writes from an operator in a steady state).
 */
export class RequestStats {
  readonly #counts = new Map<string, number>();

  record(info: ResourceRequestInfo, code: number): void {
    const key = `${info.verb} ${info.group ? `${info.resource}.${info.group}` : info.resource}${info.subresource ? `/${info.subresource}` : ""} ${code}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Every counter as `"<verb> <resource>[/<subresource>] <code>" -> count`. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  total(filter: { writes?: boolean; verb?: string; resource?: string } = {}): number {
    let sum = 0;
    for (const [key, count] of this.#counts) {
      const [verb = "", resource = ""] = key.split(" ");
      if (filter.writes !== undefined && writeVerbs.has(verb) !== filter.writes) continue;
      if (filter.verb !== undefined && verb !== filter.verb) continue;
      if (filter.resource !== undefined && resource.split("/")[0]?.split(".")[0] !== filter.resource)
        continue;
      sum += count;
    }
    return sum;
  }

  reset(): void {
    this.#counts.clear();
  }
}
