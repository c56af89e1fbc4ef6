import { existsSync } from "node:fs";
import { portOption } from "../port-option.js";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";

interface DevOptions {
  stateDir?: string;
  port: string;
  kubeconfig: string;
  servicesPort: string;
  catalog: string | false;
  logLevel: string;
  readyTimeout: string;
}

/** The catalog shipped with this package. */
const packagedCatalog = fileURLToPath(new URL("../../../connectors", import.meta.url));

export function devCommand(program: Command): void {
  program
    .command("dev")
    .description(
      "Run the whole product on this machine: API server, operator, Integrations as local processes, the manifests of a folder applied and watched",
    )
    .argument("[paths...]", "folders or files of manifests to apply and watch", ["examples"])
    .option(
      "--state-dir <dir>",
      "keep the cluster's state here and resume from it (default: fresh each time)",
    )
    .option("--port <port>", "the API server's port", "6443")
    .option("--kubeconfig <file>", "where to write the kubeconfig for kubectl", ".switchboard/kubeconfig")
    .option("--services-port <port>", "the dev services: sinks, OAuth token endpoint, example API", "7070")
    .option("--catalog <dir>", "connector catalog installed first", packagedCatalog)
    .option("--no-catalog", "do not install the catalog")
    .option("--log-level <level>", "log level of the API server, operator and executor", "warn")
    .option("--ready-timeout <seconds>", "how long to wait for the Integrations to be Ready", "60")
    .addHelpText(
      "after",
      `
Examples:
  switchboard dev                                   # the examples/ folder, fresh state
  switchboard dev ./my-integrations --state-dir .switchboard/state
  KUBECONFIG=.switchboard/kubeconfig kubectl get integrations`,
    )
    .action(async (paths: string[], options: DevOptions) => {
      const { pino } = await import("pino");
      const { DevMode } = await import("../../local/dev-mode.js");
      const { formatRuntimeLine } = await import("../../local/format-runtime-line.js");
      const missing = paths.find((path) => !existsSync(path));
      if (missing) throw new Error(`${missing}: no such file or folder (pass the folder of your manifests)`);
      const startedAt = performance.now();
      const dev = new DevMode({
        ...(options.stateDir ? { stateDir: resolve(options.stateDir) } : {}),
        apiserverPort: portOption(options.port, "--port"),
        kubeconfigPath: resolve(options.kubeconfig),
        manifests: paths.map((path) => resolve(path)),
        ...(options.catalog ? { catalog: resolve(options.catalog) } : {}),
        servicesPort: portOption(options.servicesPort, "--services-port"),
        runtimeCommand: [process.execPath, ...process.execArgv, resolve(process.argv[1] ?? "")],
        output: (line) => console.log(formatRuntimeLine(line)),
        report: (line, level) =>
          level === "error" ? console.error(`error: ${line}`) : console.log(`  ${line}`),
        log: pino({ level: options.logLevel }),
      });
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) process.exit(130);
        stopping = true;
        console.log(`\n${signal}: stopping the Integrations, the operator and the API server...`);
        void dev.stop().then(() => process.exit(0));
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
      try {
        await dev.start();
      } catch (error) {
        await dev.stop().catch(() => undefined);
        throw error;
      }
      const integrations = await dev.waitForIntegrations(Number(options.readyTimeout) * 1000);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      const ready = integrations.filter((i) => i.ready).length;
      const kubeconfig = relative(process.cwd(), resolve(options.kubeconfig)) || options.kubeconfig;
      const lines = [
        "",
        `Switchboard is running locally: ${ready} of ${integrations.length} Integration(s) Ready in ${seconds} s.`,
        `State: ${options.stateDir ? `kept in ${options.stateDir}` : "fresh, removed when you stop"}.`,
        "",
        `  API server     ${dev.server?.running.url ?? ""}  (kubeconfig ${kubeconfig})`,
        `  Operator       http://127.0.0.1:${dev.operator?.healthPort ?? 0}/metrics`,
        `  Dev services   ${dev.services?.url ?? ""}  (sinks at /sinks/<name>, OAuth token endpoint, example API)`,
        `  Admission      ${dev.webhook?.url ?? ""}  (policies apply: kubectl apply -f config/policies/)`,
        `  Action token   ${dev.actionToken}`,
        "",
        ...integrations.map(
          (i) =>
            `  ${`${i.namespace}/${i.name}`.padEnd(28)} ${i.ready ? "Ready" : `not Ready (${i.reason ?? "waiting"})`}\n` +
            `      webhook  ${i.webhookURL ?? "-"}\n      actions  ${i.actionsURL ?? "-"}\n      metrics  ${i.metricsURL ?? "-"}`,
        ),
        "",
        "Next:",
        `  export KUBECONFIG=${kubeconfig}`,
        "  kubectl get integrations",
        "  npx switchboard webhook send github-issues --event issues.opened",
        `  curl -s ${dev.services?.url ?? ""}/sinks/issues`,
        "",
        "Edit a manifest and it is applied again; Ctrl-C stops everything.",
      ];
      console.log(lines.join("\n"));
    });
}
