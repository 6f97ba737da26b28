/**
 * The typed client's types (src/client/api-types.ts) from the server's OpenAPI document: openapi-typescript's output,
 * formatted like the rest of the sources. The API test regenerates them from a running server and fails when they
 * differ from the committed file; `npm run client:generate -- URL` rewrites it.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { fileURLToPath } from 'node:url';

export const API_TYPES_FILE = fileURLToPath(new URL('../src/client/api-types.ts', import.meta.url));

const HEADER = "// Generated from the server's /openapi.json by `npm run client:generate`; do not edit by hand.\n";

export async function openApiTypes(document: object): Promise<string> {
  const types = astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
  return format(HEADER + types, { ...(await resolveConfig(API_TYPES_FILE)), filepath: API_TYPES_FILE });
}
