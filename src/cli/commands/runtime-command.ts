import { mkdir, readFile } from "node:fs/promises";
import { portOption } from "../port-option.js";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { pino } from "pino";
import { runtimePaths, runtimePorts } from "../../operator/render/runtime-settings.js";

interface RuntimeCommandOptions {
  config: string;
  credentialDir: string;
  webhookSecretDir: string;
  sinkSecretDir: string;
  stateDir: string;
  port: string;
  adminPort: string;
  host: string;
  externalUrl?: string;
  actionToken?: string;
  tokenReview: boolean;
  journalCapacity: string;
  auditLog: string;
  auditUrl?: string;
}

const serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export function runtimeCommand(program: Command): void {
  program
    .command("runtime")
    .description("Run one Integration's data plane: verified webhooks in, flows, resilient calls out")
    .requiredOption("--config <file>", "the runtime configuration the operator renders (runtime.json)")
    .option("--credential-dir <dir>", "the mounted Credential Secret", runtimePaths.credential)
    .option(
      "--webhook-secret-dir <dir>",
      "the mounted webhook verification Secret",
      runtimePaths.webhookSecret,
    )
    .option(
      "--sink-secret-dir <dir>",
      "the mounted Secrets that sinks sign with, one folder each",
      runtimePaths.sinkSecrets,
    )
    .option("--state-dir <dir>", "where the journal lives (the pod's volume)", runtimePaths.journal)
    .option("--port <port>", "webhooks, the action API, /healthz and /readyz", String(runtimePorts.http))
    .option("--admin-port <port>", "/metrics and dead letters", String(runtimePorts.metrics))
    .option("--host <address>", "address to listen on", "0.0.0.0")
    .option("--external-url <url>", "the webhook URL as vendors call it (for schemes that sign the URL)")
    .option("--action-token <token>", "a static token accepted by the action API (local mode)")
    .option("--no-token-review", "do not ask the API server about callers' ServiceAccount tokens")
    .option("--journal-capacity <n>", "undelivered events beyond which webhooks are answered 503", "100000")
    .option(
      "--audit-log <file>",
      "audit events (actions, credential uses), one JSON line each; - for stdout",
      "-",
    )
    .option("--audit-url <url>", "also POST audit events here, in batches")
    .addHelpText(
      "after",
      `
Examples:
  switchboard runtime --config /etc/switchboard/runtime.json
  switchboard runtime --config runtime.json --credential-dir ./secrets/credential \\
    --webhook-secret-dir ./secrets/webhook --state-dir ./state --port 8080 --admin-port 9090
  curl -s localhost:9090/deadletters`,
    )
    .action(async (options: RuntimeCommandOptions) => {
      // Loaded here, not at start: each command pays only for what it runs.
      const { KubeConfig } = await import("@kubernetes/client-node");
      const { KubeClient } = await import("../../operator/kube/kube-client.js");
      const { tokenReviewer } = await import("../../runtime/actions/token-review.js");
      const { loadRuntimeConfig, readSecretFolder, readSinkSecrets } =
        await import("../../runtime/config/runtime-config.js");
      const { credentialSigners } = await import("../../runtime/credential-signers.js");
      const { deliverySettings } = await import("../../runtime/delivery/delivery-policy.js");
      const { Runtime } = await import("../../runtime/runtime.js");
      const { AuditLog } = await import("../../governance/audit/audit-log.js");
      // A pod run locally has its mounts under a root folder (see LocalPod); in a container it is `/`.
      const root = process.env.SWITCHBOARD_ROOT;
      const inRoot = (path: string) => (root ? join(root, resolve("/", path)) : path);
      for (const option of [
        "config",
        "credentialDir",
        "webhookSecretDir",
        "sinkSecretDir",
        "stateDir",
      ] as const)
        options[option] = inRoot(options[option]);
      const port = portOption(options.port, "--port");
      const adminPort = portOption(options.adminPort, "--admin-port");
      const capacity = Number(options.journalCapacity);
      if (!Number.isInteger(capacity) || capacity < 1)
        throw new Error(
          `--journal-capacity must be a whole number above 0, not "${options.journalCapacity}"`,
        );
      const config = await loadRuntimeConfig(options.config);
      const log = pino({
        level: process.env.LOG_LEVEL ?? "info",
        name: "runtime",
        base: { namespace: config.integration.namespace, integration: config.integration.name },
        redact: {
          paths: ["*.authorization", "*.token", "*.secret", "*.password", "*.clientSecret"],
          censor: "[redacted]",
        },
      });
      await mkdir(options.stateDir, { recursive: true });
      const webhookSecretKeys = config.integration.spec.webhook?.secretRef?.keys;
      let webhookSecrets = await readSecretFolder(options.webhookSecretDir);
      // A rotated Secret is re-read: kubelet updates the mounted files in place.
      const refresh = setInterval(() => {
        readSecretFolder(options.webhookSecretDir).then(
          (next) => (webhookSecrets = next),
          () => undefined,
        );
      }, 10_000);
      refresh.unref();
      const settings = deliverySettings(config.integration.spec.delivery);
      const credentialValues = await readSecretFolder(options.credentialDir);
      const signers = (onTokenRequest: (scheme: string, ok: boolean) => void) =>
        credentialSigners({
          connector: config.connector.spec,
          credential: config.credential,
          values: credentialValues,
          config: config.integration.spec.config ?? {},
          stateDir: options.stateDir,
          timeoutMs: settings.timeoutMs,
          onTokenRequest,
        });
      let review: ReturnType<typeof tokenReviewer> | undefined;
      if (options.tokenReview && process.env.KUBERNETES_SERVICE_HOST) {
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromCluster();
        review = tokenReviewer(new KubeClient(kubeConfig));
      }
      const runtime = new Runtime({
        config,
        webhookSecrets: () =>
          webhookSecretKeys
            ? webhookSecretKeys.flatMap((k) => webhookSecrets.get(k) ?? [])
            : [...webhookSecrets.values()],
        signers,
        sinkSecrets: await readSinkSecrets(options.sinkSecretDir),
        journalPath: join(options.stateDir, "journal.db"),
        port,
        adminPort,
        host: options.host,
        journalCapacity: capacity,
        ...(options.externalUrl ? { externalURL: options.externalUrl } : {}),
        ...(options.actionToken ? { actionToken: options.actionToken } : {}),
        ...(review ? { tokenReview: review } : {}),
        callerToken: () => readFile(inRoot(serviceAccountToken), "utf8").catch(() => undefined),
        log,
        audit: new AuditLog({
          ...(options.auditLog === "-"
            ? { write: (line: string) => process.stdout.write(`${line}\n`) }
            : { file: inRoot(options.auditLog) }),
          ...(options.auditUrl ? { url: options.auditUrl } : {}),
          onDropped: (count) =>
            log.error({ count }, "audit events dropped: the audit URL has been down too long"),
        }),
      });
      const schemes = (config.connector.spec.auth ?? []).map((scheme) => scheme.name);
      if (schemes.length > 0 && !config.credential)
        log.warn(
          { schemes },
          "the connector's API takes credentials but the Integration has none (spec.credentialRef): actions go unauthenticated",
        );
      else if (
        schemes.length > 0 &&
        !(config.connector.spec.auth ?? []).some((s) => s.type === config.credential?.type)
      )
        log.warn(
          { schemes, credentialType: config.credential?.type },
          "no auth scheme of the connector takes the Credential's type: actions go unauthenticated",
        );
      const listening = await runtime.start();
      log.info(listening, "runtime started");
      const stop = (signal: string): void => {
        log.info({ signal }, "stopping: refusing new webhooks, finishing deliveries in flight");
        void runtime.stop().then(() => process.exit(0));
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
}
