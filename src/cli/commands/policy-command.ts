import type { Command } from "commander";
import { exitTwoOnUsageErrors } from "../usage-exit.js";

interface PolicyTestOptions {
  catalog?: string | false;
  output: string;
}

/** `switchboard policy test`: IntegrationPolicies evaluated offline against manifests, like Gatekeeper's gator. */
export function policyCommand(program: Command): void {
  const policy = program.command("policy").description("Work with IntegrationPolicies");
  const test = policy
    .command("test")
    .description(
      "Evaluate IntegrationPolicies offline against manifests, as admission would: each violation with its enforcement, file:line:col",
    )
    .argument("<policy>", "a file or folder of IntegrationPolicies")
    .argument("<manifests...>", "manifest files, or folders walked for .yaml, .yml and .json files")
    .option(
      "--catalog <dir>",
      "connectors Integrations may use besides the given files (default: this package's connectors/)",
    )
    .option("--no-catalog", "look for Integrations' connectors in the given files only")
    .option("-o, --output <format>", "text or json", "text")
    .addHelpText(
      "after",
      `
Exit code: 0 when nothing is denied (warnings and audit findings are shown), 1 when a deny rule is
broken, 2 when the command cannot run.

Examples:
  switchboard policy test config/policies/soc2.yaml examples/
  switchboard policy test config/policies/ deploy/ -o json`,
    )
    .action(async (policyPath: string, paths: string[], options: PolicyTestOptions) => {
      const { UsageError } = await import("../../tools/usage-error.js");
      if (options.output !== "text" && options.output !== "json")
        throw new UsageError(`--output must be text or json, not "${options.output}"`);
      const { packageCatalog } = await import("../../tools/catalog-connectors.js");
      const { validateManifests } = await import("../../tools/validate-manifests.js");
      const { diagnosticLine } = await import("../../tools/validation-report.js");
      const report = await validateManifests({
        paths,
        policies: [policyPath],
        catalog: options.catalog === false ? false : (options.catalog ?? packageCatalog),
      });
      const violations = report.diagnostics.filter((d) => d.policy !== undefined);
      const others = report.diagnostics.length - violations.length;
      if (options.output === "json") process.stdout.write(`${JSON.stringify(violations, null, 2)}\n`);
      else {
        const count = (enforcement: string) =>
          violations.filter((d) => d.message.startsWith(`${enforcement}:`)).length;
        const lines = [
          ...violations.map(diagnosticLine),
          `${count("deny")} denied, ${count("warn")} warned, ${count("audit")} audited; ${report.documents} documents checked`,
          ...(others > 0 ? [`${others} other problem(s) in the manifests: run switchboard validate`] : []),
        ];
        process.stdout.write(`${lines.join("\n")}\n`);
      }
      process.exitCode = violations.some((d) => d.severity === "error") ? 1 : 0;
    });
  exitTwoOnUsageErrors(test);
}
