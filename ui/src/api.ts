/**
 * The UI's link to the server: the typed client (src/client) with the key the main job printed in the URL
 * (`/#key=rsk_…`), kept in localStorage, and the user this browser acts for.
 */
import { reelsenseClient, type components, type paths, type ReelsenseClient } from '../../src/client/index.js';

export type { components, paths };

const KEY_ITEM = 'reelsense.key';
const USER_ITEM = 'reelsense.user';

/** Takes a key from the URL fragment once (and removes it from the address bar), else the one kept. */
export function apiKey(): string | null {
  const fromUrl = /(?:^#|&)key=(rsk_[A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (fromUrl) {
    localStorage.setItem(KEY_ITEM, fromUrl);
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  return localStorage.getItem(KEY_ITEM);
}

export function forgetKey(): void {
  localStorage.removeItem(KEY_ITEM);
}

export function savedUser(): number | null {
  const saved = Number(localStorage.getItem(USER_ITEM));
  return Number.isInteger(saved) && saved > 0 ? saved : null;
}

export function saveUser(userId: number | null): void {
  if (userId === null) localStorage.removeItem(USER_ITEM);
  else localStorage.setItem(USER_ITEM, String(userId));
}

let client: ReelsenseClient | null = null;

export function api(): ReelsenseClient {
  client ??= reelsenseClient({ baseUrl: location.origin, apiKey: apiKey() ?? '' });
  return client;
}

/** The data of an answer, or an Error with the server's message. */
export async function data<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data: body, error, response } = await answer;
  if (body !== undefined && response.ok) return body;
  const message = (error as { message?: string } | undefined)?.message ?? `${response.status} ${response.statusText}`;
  throw new Error(message);
}

/** A movie as lists show it. */
export interface MovieSummary {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
  posterUrl: string | null;
}
