/** Operator configuration for the runtime workloads it renders. */
export interface RuntimeSettings {
  /** The Switchboard image (the runtime is its `runtime` entry point). */
  readonly image: string;
  /** @default "IfNotPresent" */
  readonly imagePullPolicy?: "Always" | "IfNotPresent" | "Never";
  /** Resources when the Integration sets none. */
  readonly defaultResources?: {
    requests?: Record<string, string | number>;
    limits?: Record<string, string | number>;
  };
  /** The runtime's log level. @default "info" */
  readonly logLevel?: string;
}

/** Ports the runtime listens on, inside the pod. */
export const runtimePorts = { http: 8080, metrics: 9090 } as const;

/** Paths inside the runtime container. */
export const runtimePaths = {
  config: "/etc/switchboard",
  configFile: "/etc/switchboard/runtime.json",
  credential: "/var/run/secrets/switchboard/credential",
  webhookSecret: "/var/run/secrets/switchboard/webhook",
  journal: "/var/lib/switchboard",
  /** One folder per Secret that signs deliveries to sinks, named after the Secret. */
  sinkSecrets: "/var/run/secrets/switchboard/sinks",
} as const;

export const defaultResources = {
  requests: { cpu: "50m", memory: "64Mi" },
  limits: { memory: "256Mi" },
};
