import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { RuntimeSettings } from "./runtime-settings.js";
import { defaultResources, runtimePaths, runtimePorts } from "./runtime-settings.js";

export interface RuntimeDeploymentProps {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  /** Runtime pods. @default 1 */
  readonly replicas: number;
  readonly configMapName: string;
  /** The config's hash: a change rolls the pods. */
  readonly configHash: string;
  readonly serviceAccountName: string;
  /** The Credential's Secret, mounted read-only. */
  readonly credentialSecretName?: string;
  /** The webhook verification Secret, mounted read-only. */
  readonly webhookSecretName?: string;
  /** Secrets the flows' sinks sign with (`target.sink.secretRef`). */
  readonly sinkSecretNames?: readonly string[];
  readonly resources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  readonly settings: RuntimeSettings;
}

/**
 * The runtime: one process per Integration, under the restricted Pod Security Standard (non-root,
 * read-only root filesystem, no privilege escalation, every capability dropped, RuntimeDefault
 * seccomp), Secrets mounted read-only, the journal on its own volume, probes on the runtime's health.
 */
export class RuntimeDeployment extends Construct {
  constructor(scope: Construct, id: string, props: RuntimeDeploymentProps) {
    super(scope, id);
    const resources = props.resources ?? props.settings.defaultResources ?? defaultResources;
    const volumes: Record<string, unknown>[] = [
      { name: "config", configMap: { name: props.configMapName } },
      { name: "journal", emptyDir: {} },
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
    ];
    const mounts: Record<string, unknown>[] = [
      { name: "config", mountPath: runtimePaths.config, readOnly: true },
      { name: "journal", mountPath: runtimePaths.journal },
      { name: "tmp", mountPath: "/tmp" },
    ];
    if (props.credentialSecretName) {
      volumes.push({
        name: "credential",
        secret: { secretName: props.credentialSecretName, defaultMode: 0o440 },
      });
      mounts.push({ name: "credential", mountPath: runtimePaths.credential, readOnly: true });
    }
    if (props.webhookSecretName) {
      volumes.push({
        name: "webhook-secret",
        secret: { secretName: props.webhookSecretName, defaultMode: 0o440 },
      });
      mounts.push({ name: "webhook-secret", mountPath: runtimePaths.webhookSecret, readOnly: true });
    }
    (props.sinkSecretNames ?? []).forEach((secretName, index) => {
      volumes.push({ name: `sink-secret-${index}`, secret: { secretName, defaultMode: 0o440 } });
      mounts.push({
        name: `sink-secret-${index}`,
        mountPath: `${runtimePaths.sinkSecrets}/${secretName}`,
        readOnly: true,
      });
    });
    new ApiObject(this, "Resource", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: props.name, labels: props.labels },
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: props.selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels: props.labels,
            annotations: { "switchboard.dev/config-hash": props.configHash },
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              runAsGroup: 65532,
              fsGroup: 65532,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "runtime",
                image: props.settings.image,
                imagePullPolicy: props.settings.imagePullPolicy ?? "IfNotPresent",
                args: ["runtime", "--config", runtimePaths.configFile],
                env: [
                  { name: "LOG_LEVEL", value: props.settings.logLevel ?? "info" },
                  ...heapLimit(resources.limits?.memory),
                ],
                ports: [
                  { name: "http", containerPort: runtimePorts.http, protocol: "TCP" },
                  { name: "metrics", containerPort: runtimePorts.metrics, protocol: "TCP" },
                ],
                readinessProbe: {
                  httpGet: { path: "/readyz", port: "http" },
                  periodSeconds: 5,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: "/healthz", port: "http" },
                  periodSeconds: 10,
                  failureThreshold: 6,
                },
                resources,
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    });
  }
}

const units: Record<string, number> = {
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 * 1024,
  k: 1000 / 1048576,
  M: 1e6 / 1048576,
  G: 1e9 / 1048576,
};

/**
 * V8 sizes its heap by the machine, not the container: left alone it grows past a small memory limit
 * and the pod is OOM-killed. The old space is held to 60% of the limit, leaving room for the rest.
 */
function heapLimit(memory: string | number | undefined): { name: string; value: string }[] {
  if (memory === undefined) return [];
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(memory));
  if (!match) return [];
  const mebibytes = Number(match[1]) * (match[2] ? (units[match[2]] ?? 0) : 1 / 1048576);
  const heap = Math.floor(mebibytes * 0.6);
  return heap >= 32 ? [{ name: "NODE_OPTIONS", value: `--max-old-space-size=${heap}` }] : [];
}
