import type { ConnectorSpec } from "../../api/types.js";

/** An OpenAPI 3.1 document of an Integration's action API, from its connector's actions. */
export function actionOpenAPI(
  connector: ConnectorSpec,
  integration: { namespace: string; name: string },
): Record<string, unknown> {
  const error = { type: "object", properties: { error: { type: "string" } }, required: ["error"] };
  const paths: Record<string, unknown> = {};
  for (const action of connector.actions ?? []) {
    paths[`/actions/${action.name}`] = {
      post: {
        operationId: action.name,
        summary: action.description ?? action.name,
        description: `Runs ${connector.displayName}'s ${action.name} (${action.method} ${action.path}) with the Integration's credentials, rate limit and retries.`,
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            schema: { type: "string" },
            description: action.idempotencyKeyHeader
              ? `Sent to ${connector.displayName} as ${action.idempotencyKeyHeader}; retries carry the same key.`
              : "Accepted; this action has no idempotency header at the vendor.",
          },
        ],
        requestBody: {
          required: true,
          content: { "application/json": { schema: action.inputSchema ?? { type: "object" } } },
        },
        responses: {
          "200": {
            description: "The action's output",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { output: action.outputSchema ?? {} },
                  required: ["output"],
                },
              },
            },
          },
          "400": {
            description: "The input does not fit the action",
            content: { "application/json": { schema: error } },
          },
          "401": { description: "No valid caller token", content: { "application/json": { schema: error } } },
          "403": {
            description: "The caller is not allowed",
            content: { "application/json": { schema: error } },
          },
          "502": {
            description: "The vendor refused or failed",
            content: { "application/json": { schema: error } },
          },
          "503": {
            description: "The vendor's circuit is open",
            content: { "application/json": { schema: error } },
          },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${connector.displayName} actions of ${integration.namespace}/${integration.name}`,
      version: connector.version,
    },
    components: {
      securitySchemes: {
        serviceAccountToken: {
          type: "http",
          scheme: "bearer",
          description: "A Kubernetes ServiceAccount token",
        },
      },
    },
    security: [{ serviceAccountToken: [] }],
    paths,
  };
}
