import type { KubeObject } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

/**
 * Service defaults that every client of a real cluster sees: a type, a cluster IP from the service
 * range, ports with a protocol and a target port.
 */
export function serviceStrategy(): KindStrategy {
  let next = 1;
  const allocate = (): string => {
    const n = next++;
    return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  };
  const defaultPorts = (service: KubeObject): void => {
    const spec = service.spec as Record<string, unknown> | undefined;
    if (!spec || !Array.isArray(spec.ports)) return;
    spec.ports = (spec.ports as Record<string, unknown>[]).map((port) => ({
      ...port,
      protocol: port.protocol ?? "TCP",
      targetPort: port.targetPort ?? port.port,
    }));
  };
  return {
    prepareForCreate(service) {
      const spec = (service.spec as Record<string, unknown> | undefined) ?? {};
      service.spec = spec;
      spec.type ??= "ClusterIP";
      if (spec.type !== "ExternalName" && spec.clusterIP === undefined) {
        spec.clusterIP = allocate();
        spec.clusterIPs = [spec.clusterIP];
      }
      spec.sessionAffinity ??= "None";
      defaultPorts(service);
      service.status ??= { loadBalancer: {} };
    },
    prepareForUpdate(service, old) {
      const spec = (service.spec as Record<string, unknown> | undefined) ?? {};
      const oldSpec = (old.spec as Record<string, unknown> | undefined) ?? {};
      service.spec = spec;
      spec.type ??= oldSpec.type ?? "ClusterIP";
      spec.clusterIP ??= oldSpec.clusterIP;
      spec.clusterIPs ??= oldSpec.clusterIPs;
      spec.sessionAffinity ??= oldSpec.sessionAffinity ?? "None";
      defaultPorts(service);
    },
    validate(service, old) {
      const spec = service.spec as Record<string, unknown>;
      const oldSpec = old?.spec as Record<string, unknown> | undefined;
      if (oldSpec?.clusterIP !== undefined && spec.clusterIP !== oldSpec.clusterIP) {
        return [
          {
            reason: "FieldValueInvalid",
            field: "spec.clusterIPs[0]",
            message: `Invalid value: ${JSON.stringify([spec.clusterIP])}: may not change once set`,
          },
        ];
      }
      return [];
    },
  };
}
