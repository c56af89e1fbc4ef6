import { mkdir, writeFile } from "node:fs/promises";
import { portOption } from "../port-option.js";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";

interface ApiserverOptions {
  port: string;
  host: string;
  kubeconfig: string;
  crds?: string[];
  token?: string;
  tls: boolean;
  watchCacheSize: string;
  namespaces: string[];
  stateFile?: string;
}

export function apiserverCommand(program: Command): void {
  program
    .command("apiserver")
    .description("Run the embedded Kubernetes API server (in memory) for kubectl, operators and tests")
    .option("--port <port>", "port to listen on (0 picks a free one)", "6443")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--kubeconfig <file>", "where to write a kubeconfig for kubectl", ".switchboard/kubeconfig")
    .option("--crds <paths...>", "CustomResourceDefinition files or folders to install at start")
    .option("--token <token>", "bearer token clients must present (default: random)")
    .option("--no-tls", "serve plain HTTP instead of HTTPS")
    .option("--watch-cache-size <n>", "changes kept per resource for watch resumption", "1000")
    .option("--namespaces <names...>", "namespaces to create besides the system ones", ["switchboard-system"])
    .option("--state-file <file>", "keep the objects in this file across restarts (default: in memory only)")
    .addHelpText(
      "after",
      `
Examples:
  switchboard apiserver --port 6443 --kubeconfig .switchboard/kubeconfig --crds crds/
  kubectl --kubeconfig .switchboard/kubeconfig get crds
  kubectl --kubeconfig .switchboard/kubeconfig apply --server-side -f config/samples/`,
    )
    .action(async (options: ApiserverOptions) => {
      // Loaded here, not at start: each command pays only for what it runs.
      const { EmbeddedApiServer } = await import("../../apiserver/embedded-api-server.js");
      const { loadManifests } = await import("../../manifests/load-manifests.js");
      const port = portOption(options.port, "--port");
      const crds = options.crds ? (await loadManifests(options.crds)).map((m) => m.object) : [];
      const notCrds = crds.filter((c) => c.kind !== "CustomResourceDefinition");
      if (notCrds.length > 0)
        throw new Error(
          `--crds: ${notCrds[0]?.kind ?? "?"} "${notCrds[0]?.metadata.name ?? ""}" is not a CustomResourceDefinition`,
        );
      const server = new EmbeddedApiServer({
        port,
        host: options.host,
        tls: options.tls,
        crds,
        namespaces: options.namespaces,
        watchCacheSize: Number(options.watchCacheSize),
        ...(options.token ? { token: options.token } : {}),
        ...(options.stateFile ? { stateFile: resolve(options.stateFile) } : {}),
      });
      const running = await server.start();
      const kubeconfig = resolve(options.kubeconfig);
      await mkdir(dirname(kubeconfig), { recursive: true });
      await writeFile(kubeconfig, running.kubeconfig, { mode: 0o600 });
      console.log(`Switchboard API server listening on ${running.url}`);
      console.log(
        `${crds.length} CustomResourceDefinition(s) installed; kubeconfig written to ${kubeconfig}`,
      );
      console.log(`Try: kubectl --kubeconfig ${options.kubeconfig} get crds`);
      const stop = (): void => {
        void server.stop().then(() => process.exit(0));
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
