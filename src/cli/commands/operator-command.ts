import { readFile } from "node:fs/promises";
import { portOption } from "../port-option.js";
import type { Command } from "commander";
import { pino } from "pino";
import type { RuntimeSettings } from "../../operator/render/runtime-settings.js";
import { version } from "../version.js";

interface OperatorCommandOptions {
  kubeconfig?: string;
  healthPort: string;
  leaderElect: boolean;
  namespace: string;
  leaseNamespace?: string;
  identity?: string;
  qps: string;
  runtimeImage: string;
  runtimeImagePullPolicy: string;
  runtimeLogLevel: string;
  runtimeResources?: string;
  extraCaFile?: string;
  credentialCheckInterval: string;
  burst: string;
  audit: boolean;
  auditInterval: string;
  webhookCertificates: boolean;
  webhookService: string;
  webhookConfiguration: string;
}

export function operatorCommand(program: Command): void {
  program
    .command("operator")
    .description("Run the Switchboard operator against a cluster (in-cluster config, or a kubeconfig)")
    .option(
      "--kubeconfig <file>",
      "kubeconfig to use (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)",
    )
    .option("--health-port <port>", "port of /healthz, /readyz and /metrics", "8080")
    .option("--no-leader-elect", "reconcile without a Lease (one instance only)")
    .option(
      "--namespace <namespace>",
      "the operator's namespace: its Lease, and the installed versions of ClusterConnectors",
      process.env.POD_NAMESPACE ?? "switchboard-system",
    )
    .option("--lease-namespace <namespace>", "namespace of the leader election Lease (default: --namespace)")
    .option("--identity <name>", "this instance's identity in the Lease (default: host name)")
    .option("--qps <n>", "requests per second toward the API server", "50")
    .option("--burst <n>", "requests allowed at once above the QPS", "100")
    .option(
      "--runtime-image <image>",
      "the image of the runtime Deployments",
      `ghcr.io/switchboard/switchboard:${version}`,
    )
    .option("--runtime-image-pull-policy <policy>", "Always, IfNotPresent or Never", "IfNotPresent")
    .option("--runtime-log-level <level>", "the runtime's log level", "info")
    .option(
      "--runtime-resources <json>",
      'resources of runtimes whose Integration sets none, e.g. \'{"requests":{"cpu":"50m","memory":"64Mi"}}\'',
    )
    .option(
      "--extra-ca-file <file>",
      "PEM certificates to trust besides the public CAs (private token endpoints)",
    )
    .option(
      "--credential-check-interval <seconds>",
      "how often OAuth 2.0 token endpoints are asked again though nothing changed",
      "3600",
    )
    .option("--no-audit", "do not audit existing objects against the IntegrationPolicies")
    .option(
      "--audit-interval <seconds>",
      "how often existing objects are audited against the policies",
      "300",
    )
    .option("--no-webhook-certificates", "leave the admission webhook's certificates to cert-manager")
    .option(
      "--webhook-service <name>",
      "the admission webhook's Service in --namespace; its certificate is kept in <name>-tls",
      "switchboard-webhook",
    )
    .option(
      "--webhook-configuration <name>",
      "the ValidatingWebhookConfiguration whose caBundle is kept current",
      "switchboard",
    )
    .addHelpText(
      "after",
      `
Examples:
  switchboard operator --kubeconfig .switchboard/kubeconfig --health-port 8081
  curl -s localhost:8081/metrics | grep controller_runtime_reconcile_total`,
    )
    .action(async (options: OperatorCommandOptions) => {
      // Loaded here, not at start: each command pays only for what it runs.
      const { KubeConfig } = await import("@kubernetes/client-node");
      const { Operator } = await import("../../operator/operator.js");
      const healthPort = portOption(options.healthPort, "--health-port");
      const qps = Number(options.qps);
      const burst = Number(options.burst);
      if (!(qps > 0) || !Number.isInteger(burst) || burst < 1)
        throw new Error("--qps must be above 0 and --burst a whole number of at least 1");
      const checkInterval = Number(options.credentialCheckInterval);
      if (!(checkInterval >= 10))
        throw new Error(
          `--credential-check-interval must be a number of seconds, at least 10, not "${options.credentialCheckInterval}"`,
        );
      const extraCaPem = options.extraCaFile ? await readFile(options.extraCaFile, "utf8") : undefined;
      if (extraCaPem !== undefined && !extraCaPem.includes("-----BEGIN CERTIFICATE-----"))
        throw new Error(`--extra-ca-file: ${options.extraCaFile ?? ""} holds no PEM certificate`);
      const runtime = runtimeSettings(options);
      const kubeConfig = new KubeConfig();
      if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
      else kubeConfig.loadFromDefault();
      if (!kubeConfig.getCurrentCluster())
        throw new Error("no cluster in the kubeconfig: pass --kubeconfig or set KUBECONFIG");
      const log = pino({ level: process.env.LOG_LEVEL ?? "info", name: "operator" });
      const operator = new Operator({
        kubeConfig,
        log,
        healthPort,
        leaderElection: options.leaderElect,
        namespace: options.namespace,
        ...(options.leaseNamespace ? { leaseNamespace: options.leaseNamespace } : {}),
        rateLimit: { qps, burst },
        credentialChecks: {
          intervalMs: checkInterval * 1000,
          ...(extraCaPem ? { extraCaPem } : {}),
        },
        ...(options.identity ? { identity: options.identity } : {}),
        runtime,
        ...(options.audit || options.webhookCertificates
          ? {
              governance: {
                auditIntervalMs: options.audit
                  ? seconds(options.auditInterval, "--audit-interval") * 1000
                  : 2 ** 31 - 1,
                ...(options.webhookCertificates
                  ? {
                      webhookCertificates: {
                        namespace: options.namespace,
                        serviceName: options.webhookService,
                        tlsSecretName: `${options.webhookService}-tls`,
                        caSecretName: `${options.webhookService}-ca`,
                        configurationNames: [options.webhookConfiguration],
                      },
                    }
                  : {}),
              },
            }
          : {}),
      });
      await operator.start();
      log.info(
        { healthPort: operator.healthPort, server: kubeConfig.getCurrentCluster()?.server },
        "operator started",
      );
      const stop = (signal: string): void => {
        log.info({ signal }, "stopping: finishing reconciles in flight and releasing the lease");
        void operator.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
}

function seconds(value: string, flag: string): number {
  const number = Number(value);
  if (!(number >= 10)) throw new Error(`${flag} must be a number of seconds, at least 10, not "${value}"`);
  return number;
}

const pullPolicies = ["Always", "IfNotPresent", "Never"] as const;
const logLevels = ["trace", "debug", "info", "warn", "error", "fatal"];

function runtimeSettings(options: OperatorCommandOptions): RuntimeSettings {
  const policy = options.runtimeImagePullPolicy as (typeof pullPolicies)[number];
  if (!pullPolicies.includes(policy))
    throw new Error(
      `--runtime-image-pull-policy must be one of ${pullPolicies.join(", ")}, not "${options.runtimeImagePullPolicy}"`,
    );
  if (!logLevels.includes(options.runtimeLogLevel))
    throw new Error(
      `--runtime-log-level must be one of ${logLevels.join(", ")}, not "${options.runtimeLogLevel}"`,
    );
  let defaultResources: RuntimeSettings["defaultResources"];
  if (options.runtimeResources !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.runtimeResources);
    } catch (error) {
      throw new Error(`--runtime-resources is not JSON: ${(error as Error).message}`, { cause: error });
    }
    const shape = parsed as Record<string, unknown> | null;
    const unknown =
      shape && typeof shape === "object"
        ? Object.keys(shape).filter((k) => k !== "requests" && k !== "limits")
        : [];
    if (!shape || typeof shape !== "object" || Array.isArray(shape) || unknown.length > 0)
      throw new Error(
        `--runtime-resources must be an object with "requests" and/or "limits"${unknown.length > 0 ? `, not "${unknown.join('", "')}"` : ""}`,
      );
    defaultResources = shape;
  }
  return {
    image: options.runtimeImage,
    imagePullPolicy: policy,
    logLevel: options.runtimeLogLevel,
    ...(defaultResources ? { defaultResources } : {}),
  };
}
