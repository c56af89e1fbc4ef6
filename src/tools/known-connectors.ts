import semver from "semver";
import type { ConnectorKind, ConnectorReference, ConnectorSpec } from "../api/types.js";
import { validateManifest } from "../api/validate.js";

/** A connector definition found in a file: one an Integration may refer to. */
export interface KnownConnector {
  kind: ConnectorKind;
  name: string;
  /** A Connector's namespace (default when unset); none for a ClusterConnector. */
  namespace: string | undefined;
  spec: ConnectorSpec;
  file: string;
}

/** The connector an object is, when it is a valid Connector or ClusterConnector. */
export function knownConnector(object: unknown, file: string): KnownConnector | undefined {
  const { kind, metadata, spec } = (object ?? {}) as {
    kind?: unknown;
    metadata?: { name?: string; namespace?: string };
    spec?: ConnectorSpec;
  };
  if (kind !== "Connector" && kind !== "ClusterConnector") return undefined;
  if (!validateManifest(object).ok || !metadata?.name || !spec) return undefined;
  return {
    kind,
    name: metadata.name,
    namespace: kind === "Connector" ? (metadata.namespace ?? "default") : undefined,
    spec,
    file,
  };
}

export type ConnectorLookup =
  | { connector: KnownConnector }
  | { connector: undefined; /** The versions found outside the range, highest first. */ versions: string[] };

/**
 * The connector an Integration in `namespace` refers to, as the operator resolves it: the highest
 * version in `connectorRef.version`'s range (any when unset) among those known; the first known of
 * that version (the given files come before the catalog).
 */
export function findConnector(
  connectors: readonly KnownConnector[],
  ref: ConnectorReference,
  namespace: string,
): ConnectorLookup {
  const kind = ref.kind ?? "ClusterConnector";
  const candidates = connectors.filter(
    (c) =>
      c.kind === kind && c.name === ref.name && (kind === "ClusterConnector" || c.namespace === namespace),
  );
  const versions = [...new Set(candidates.map((c) => c.spec.version))];
  const best = semver.maxSatisfying(versions, ref.version ?? "*", { includePrerelease: true });
  const connector = best === null ? undefined : candidates.find((c) => c.spec.version === best);
  if (connector) return { connector };
  return { connector: undefined, versions: versions.sort((a, b) => semver.rcompare(a, b)) };
}

/** `ClusterConnector "github"`, or `Connector "inventory-api" in namespace default`. */
export function connectorName(ref: ConnectorReference, namespace: string): string {
  const kind = ref.kind ?? "ClusterConnector";
  return `${kind} "${ref.name}"${kind === "Connector" ? ` in namespace ${namespace}` : ""}`;
}
