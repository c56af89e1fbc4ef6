/** The parts of a pod template the local executor reads, with the names Kubernetes gives them. */
export interface ContainerPort {
  name?: string;
  containerPort: number;
}

export interface HttpProbe {
  httpGet?: { path?: string; port: string | number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: ContainerPort[];
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string; optional?: boolean };
  emptyDir?: Record<string, unknown>;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    volumes?: Volume[];
    terminationGracePeriodSeconds?: number;
  };
}

/** Resolves a probe's or a Service's port (a number or a container port's name) to the container port. */
export function containerPortOf(container: Container, port: string | number): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}
