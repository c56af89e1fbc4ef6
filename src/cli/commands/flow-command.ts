import type { Command } from "commander";
import { exitTwoOnUsageErrors } from "../usage-exit.js";

interface FlowTestOptions {
  event: string;
  type?: string;
  connector?: string[];
  catalog?: string | false;
  integration?: string;
  output: string;
}

/** `switchboard flow test`: an Integration's flows dry-run on a sample payload, nothing called. */
export function flowCommand(program: Command): void {
  const flow = program
    .command("flow")
    .description("Work with an Integration's flows offline")
    .addHelpText(
      "after",
      `
Examples:
  switchboard flow test integration.yaml --event payload.json --type ticket.closed
  switchboard flow test --help`,
    );
  exitTwoOnUsageErrors(flow);
  const command = flow
    .command("test")
    .summary("Dry-run an Integration's flows on a sample payload; nothing is called")
    .description(
      "Dry-run an Integration's flows on a sample payload as the runtime runs them: which flows match, the filter's result, the normalized event, the transform's output and what each target would receive. Nothing is called.",
    )
    .argument("<manifest>", "the file with the Integration (it may hold its connector too)")
    .requiredOption(
      "--event <file>",
      "the payload, as the vendor sends it (JSON, or form fields for such connectors)",
    )
    .option(
      "--type <event type>",
      "the event type the flows match (e.g. issues.opened); needed when the connector reads it from a header",
    )
    .option(
      "--connector <file>",
      "a file or folder with the connector (repeatable)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      "--catalog <dir>",
      "a folder of connectors to look in as well (default: this package's connectors/)",
    )
    .option("--no-catalog", "look for the connector in the given files only")
    .option("--integration <name>", "which Integration, when the file has several")
    .option("-o, --output <format>", "text or json", "text")
    .addHelpText(
      "after",
      `
Exit code: 0 when every matching flow would deliver or filter the event out, 1 when a flow would fail
(or the runtime would refuse the event), 2 when the command cannot run (a missing file, no event type).

Examples:
  switchboard flow test config/samples/integration.yaml --event closed.json --type ticket.closed \\
    --connector config/samples/clusterconnector.yaml
  switchboard flow test github.yaml --event issue-opened.json --type issues.opened
  switchboard flow test stripe.yaml --event invoice-paid.json --output json`,
    )
    .action(async (manifest: string, options: FlowTestOptions) => {
      const { UsageError } = await import("../../tools/usage-error.js");
      if (options.output !== "text" && options.output !== "json")
        throw new UsageError(`--output must be text or json, not "${options.output}"`);
      const { readFile } = await import("node:fs/promises");
      const { packageCatalog } = await import("../../tools/catalog-connectors.js");
      const { flowTestInputs } = await import("../../tools/flow-test-inputs.js");
      const { sampleEvents } = await import("../../tools/sample-events.js");
      const { dryRunFlows } = await import("../../tools/flow-dry-run.js");
      const { dryRunJson, dryRunSummary, dryRunText } = await import("../../tools/dry-run-report.js");
      const { integration, connector } = await flowTestInputs({
        manifest,
        connectorFiles: options.connector ?? [],
        catalog: options.catalog === false ? false : (options.catalog ?? packageCatalog),
        ...(options.integration !== undefined ? { integrationName: options.integration } : {}),
      });
      let payload: Buffer;
      try {
        payload = await readFile(options.event);
      } catch (error) {
        throw new UsageError(
          `--event ${options.event}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`,
        );
      }
      const { events, notes } = sampleEvents(connector.spec, payload, options.type, options.event);
      const runs = await dryRunFlows({ integration, connector, events });
      const report = { integration, connector, notes, runs };
      process.stdout.write(`${options.output === "json" ? dryRunJson(report) : dryRunText(report)}\n`);
      process.exitCode = dryRunSummary(runs).failed > 0 ? 1 : 0;
    });
  exitTwoOnUsageErrors(command);
}
