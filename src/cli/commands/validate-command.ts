import type { Command } from "commander";
import { exitTwoOnUsageErrors } from "../usage-exit.js";

interface ValidateOptions {
  /** A folder, false for --no-catalog, unset for the package's catalog. */
  catalog?: string | false;
  output: string;
}

/** `switchboard validate <files or folders...>`: every Switchboard manifest checked offline, like a compiler. */
export function validateCommand(program: Command): void {
  const command = program
    .command("validate")
    .summary("Validate manifests offline, reporting file:line:col of each problem")
    .description(
      "Validate manifests offline: each Switchboard kind's schema, connectors as the operator checks them, Integrations against their connector (config, flow expressions, target actions)",
    )
    .argument("<paths...>", "manifest files, or folders walked for .yaml, .yml and .json files")
    .option(
      "--catalog <dir>",
      "a folder of connectors Integrations may use besides the given files (default: this package's connectors/)",
    )
    .option("--no-catalog", "look for Integrations' connectors in the given files only")
    .option("-o, --output <format>", "text or json", "text")
    .addHelpText(
      "after",
      `
Exit code: 0 when every manifest is valid, 1 when any has an error, 2 when the command cannot run
(a path that does not exist, a bad option).

Examples:
  switchboard validate config/samples/
  switchboard validate integration.yaml connectors/itops/github.yaml --no-catalog
  switchboard validate deploy/ --catalog ../platform/connectors
  switchboard validate deploy/ --output json | jq '.[] | select(.severity == "error")'`,
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      const { UsageError } = await import("../../tools/usage-error.js");
      if (options.output !== "text" && options.output !== "json")
        throw new UsageError(`--output must be text or json, not "${options.output}"`);
      const { packageCatalog } = await import("../../tools/catalog-connectors.js");
      const { validateManifests } = await import("../../tools/validate-manifests.js");
      const { reportJson, reportText } = await import("../../tools/validation-report.js");
      const report = await validateManifests({
        paths,
        catalog: options.catalog === false ? false : (options.catalog ?? packageCatalog),
      });
      process.stdout.write(`${options.output === "json" ? reportJson(report) : reportText(report)}\n`);
      process.exitCode = report.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
    });
  exitTwoOnUsageErrors(command);
}
