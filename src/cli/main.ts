#!/usr/bin/env node
import { Command } from "commander";
import { apiserverCommand } from "./commands/apiserver-command.js";
import { connectorCommand } from "./commands/connector-command.js";
import { deadLettersCommand } from "./commands/deadletters-command.js";
import { devCommand } from "./commands/dev-command.js";
import { operatorCommand } from "./commands/operator-command.js";
import { runtimeCommand } from "./commands/runtime-command.js";
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
webhookCommand(program);
connectorCommand(program);

program.parseAsync().catch((error: unknown) => {
  console.error(`switchboard: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
