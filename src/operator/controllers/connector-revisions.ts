import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import type { ConnectorSpec } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { managedBy } from "../render/runtime-labels.js";

/**
 * A connector version, installed, is an immutable ControllerRevision: the definition as it was when
 * that version was first seen. Integrations resolve their version range against these, so a connector
 * upgraded to 2.0.0 leaves Integrations on `^1` running the 1.x definition they resolved to.
 *
 * Maturity and deprecation are not part of the definition: they may change for an installed version
 * (a version becomes deprecated after release), so they live on the revision's metadata, which is
 * mutable, and not in its data, which is not.
 */
export const revisionLabels = {
  kind: "switchboard.dev/connector-kind",
  name: "switchboard.dev/connector",
  version: "switchboard.dev/connector-version",
  maturity: "switchboard.dev/maturity",
} as const;
export const revisionAnnotations = {
  digest: "switchboard.dev/digest",
  deprecation: "switchboard.dev/deprecation",
  replacedBy: "switchboard.dev/replaced-by",
} as const;
/** Held by a revision while Integrations resolve to it, so deleting it waits until none do. */
export const inUseFinalizer = "switchboard.dev/in-use";

export type ConnectorKind = "ClusterConnector" | "Connector";

/** One installed version, as Integrations and the connector's status see it. */
export interface InstalledVersion {
  version: string;
  digest: string;
  spec: ConnectorSpec;
  revision: KubeObject;
  removalRequested: boolean;
}

/** The index key of a connector's Integrations and revisions, e.g. `ClusterConnector/github`. */
export function connectorKey(kind: ConnectorKind, namespace: string | undefined, name: string): string {
  return kind === "Connector" ? `Connector/${namespace ?? ""}/${name}` : `ClusterConnector/${name}`;
}

export function revisionName(connectorName: string, version: string): string {
  return `${connectorName}-${version.replace(/\+/g, "-")}`.slice(0, 253).replace(/[.-]+$/, "");
}

/** The parts of a definition that make up a version: everything but maturity and deprecation. */
function definitionOf(spec: ConnectorSpec): Omit<ConnectorSpec, "maturity" | "deprecation"> {
  const { maturity: _maturity, deprecation: _deprecation, ...definition } = spec;
  return definition;
}

export function definitionDigest(spec: ConnectorSpec): string {
  return `sha256:${createHash("sha256")
    .update(stringify(definitionOf(spec)))
    .digest("hex")}`;
}

/** The metadata of a revision that follows the connector's spec: maturity and deprecation. */
export function revisionMetadata(spec: ConnectorSpec): {
  labels: Record<string, string>;
  annotations: Record<string, string | null>;
} {
  return {
    labels: { [revisionLabels.maturity]: spec.maturity ?? "experimental" },
    annotations: {
      [revisionAnnotations.deprecation]: spec.deprecation?.message ?? null,
      [revisionAnnotations.replacedBy]: spec.deprecation?.replacedBy ?? null,
    },
  };
}

export function buildRevision(options: {
  connector: KubeObject;
  kind: ConnectorKind;
  namespace: string;
  revision: number;
}): KubeObject {
  const spec = options.connector.spec as ConnectorSpec;
  const name = options.connector.metadata.name ?? "";
  const metadata = revisionMetadata(spec);
  const annotations = Object.fromEntries(
    Object.entries(metadata.annotations).filter((entry): entry is [string, string] => entry[1] !== null),
  );
  return {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name: revisionName(name, spec.version),
      namespace: options.namespace,
      labels: {
        ...managedBy,
        [revisionLabels.kind]: options.kind,
        [revisionLabels.name]: name,
        [revisionLabels.version]: spec.version.replace(/\+/g, "_"),
        ...metadata.labels,
      },
      annotations: { ...annotations, [revisionAnnotations.digest]: definitionDigest(spec) },
      ownerReferences: [
        {
          apiVersion: options.connector.apiVersion,
          kind: options.kind,
          name,
          uid: options.connector.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: false,
        },
      ],
    },
    data: definitionOf(spec),
    revision: options.revision,
  };
}

/** A revision read back: its definition with the maturity and deprecation its metadata carries now. */
export function installedVersion(revision: KubeObject): InstalledVersion {
  const definition = revision.data as ConnectorSpec;
  const labels = revision.metadata.labels ?? {};
  const annotations = revision.metadata.annotations ?? {};
  const message = annotations[revisionAnnotations.deprecation];
  const replacedBy = annotations[revisionAnnotations.replacedBy];
  const spec: ConnectorSpec = {
    ...definition,
    maturity: (labels[revisionLabels.maturity] ?? "experimental") as NonNullable<ConnectorSpec["maturity"]>,
    ...(message ? { deprecation: { message, ...(replacedBy ? { replacedBy } : {}) } } : {}),
  };
  return {
    version: definition.version,
    digest: annotations[revisionAnnotations.digest] ?? "",
    spec,
    revision,
    removalRequested: revision.metadata.deletionTimestamp !== undefined,
  };
}
