/**
 * A typed client for the reelsense HTTP API: openapi-fetch over the types generated from the server's OpenAPI
 * document, so a call with a wrong path, parameter or body does not compile.
 *
 *   const api = reelsenseClient({ baseUrl: 'http://127.0.0.1:8080', apiKey });
 *   const { data, error } = await api.GET('/v1/users/{userId}/recommendations', { params: { path: { userId: 1 }, query: { n: 5 } } });
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.js';

export type { components, paths } from './api-types.js';

export type ReelsenseClient = Client<paths>;

export interface ClientOptions {
  /** Where the server is, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** An API key from `reelsense keys create`; left out, only the public routes answer. */
  apiKey?: string;
  fetch?: typeof fetch;
}

export function reelsenseClient(options: ClientOptions): ReelsenseClient {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
