/** What the routes work with: the recommendation facade and the store under it. Nothing else lives between requests. */
import type { RecommendationService } from '../recommend/service.js';
import type { Store } from '../store/store.js';
import { errorBody } from './schemas.js';

export interface ApiContext {
  service: RecommendationService;
  store: Store;
}

/** The OpenAPI security requirement of every route that needs a key. */
export const BEARER_KEY = [{ bearerAuth: [] }];

/** The error answers a route can give, for its response schema. */
export function errorResponses<Code extends number>(...codes: Code[]): Record<Code, typeof errorBody> {
  return Object.fromEntries(codes.map((code) => [code, errorBody])) as Record<Code, typeof errorBody>;
}
