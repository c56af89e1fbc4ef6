#!/usr/bin/env node
import { Command } from "commander";
import { apiserverCommand } from "./commands/apiserver-command.js";
import { connectorCommand } from "./commands/connector-command.js";
import { deadLettersCommand } from "./commands/deadletters-command.js";
import { devCommand } from "./commands/dev-command.js";
import { flowCommand } from "./commands/flow-command.js";
import { operatorCommand } from "./commands/operator-command.js";
import { policyCommand } from "./commands/policy-command.js";
import { runtimeCommand } from "./commands/runtime-command.js";
import { validateCommand } from "./commands/validate-command.js";
import { webhookCommand } from "./commands/webhook-command.js";
import { version } from "./version.js";

const program = new Command()
  .name("switchboard")
  .description("Switchboard: third-party integrations on Kubernetes, as custom resources")
  .version(version)
  .showHelpAfterError();

apiserverCommand(program);
operatorCommand(program);
runtimeCommand(program);
deadLettersCommand(program);
devCommand(program);
validateCommand(program);
flowCommand(program);
webhookCommand(program);
connectorCommand(program);
policyCommand(program);

program.parseAsync().catch((error: unknown) => {
  console.error(`switchboard: ${error instanceof Error ? error.message : String(error)}`);
  // A usage error (a file that does not exist, a missing option) says so with its exit code, 2.
  process.exit((error as { exitCode?: unknown }).exitCode === 2 ? 2 : 1);
});
