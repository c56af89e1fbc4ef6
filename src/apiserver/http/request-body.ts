import type { IncomingMessage } from "node:http";
import * as yaml from "js-yaml";
import { ApiError } from "../api-error.js";

/** kube-apiserver's limit on a request body (3 MiB). */
export const maxRequestBytes = 3 * 1024 * 1024;

export async function readBody(request: IncomingMessage, limit = maxRequestBytes): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    request.resume();
    throw ApiError.tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      throw ApiError.tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

const objectMediaTypes = ["application/json", "application/yaml"];

/** Decodes a create or update body; anything but JSON or YAML is a 415 as in kube. */
export function decodeObjectBody(body: Buffer, contentType: string | undefined, expected: string): unknown {
  const type = mediaType(contentType);
  if (type === "application/json" || type === "") return parseJson(body, expected);
  if (type === "application/yaml" || type === "application/x-yaml" || type === "text/yaml")
    return parseYaml(body, expected);
  throw ApiError.unsupportedMediaType(type, [...objectMediaTypes, "application/vnd.kubernetes.protobuf"]);
}

export function parseJson(body: Buffer, expected: string): unknown {
  if (body.length === 0)
    throw ApiError.badRequest(
      `the object provided is unrecognized (must be of type ${expected}): Object 'Kind' is missing in ''`,
    );
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw ApiError.badRequest(
      `the object provided is unrecognized (must be of type ${expected}): couldn't get version/kind; json parse error: ${detail}`,
    );
  }
}

export function parseYaml(body: Buffer, expected: string): unknown {
  try {
    return yaml.load(body.toString("utf8"), { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n", 1)[0] : String(error);
    throw ApiError.badRequest(
      `the object provided is unrecognized (must be of type ${expected}): error converting YAML to JSON: ${detail}`,
    );
  }
}
