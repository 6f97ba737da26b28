import type { Migration } from './migration.js';

/**
 * Migration 3 of both back ends, whose SQL differs only in how it takes the directory off a path: a settings table,
 * and posters stored as absolute paths, as they used to be, made relative to the directory of the first one, which
 * becomes the posters root.
 */
export function settingsAndRelativePosters(directoryOf: (path: string) => string): Migration {
  return {
    version: 3,
    name: 'settings; poster paths relative to the posters root',
    sql: `
      CREATE TABLE settings (
        name  text PRIMARY KEY,
        value text NOT NULL
      );
      INSERT INTO settings (name, value)
        SELECT 'posters_root', ${directoryOf('poster')}
        FROM movies WHERE poster LIKE '/%' ORDER BY movie_id LIMIT 1;
      UPDATE movies SET poster = substr(poster, length(root.value) + 2)
        FROM settings AS root
        WHERE root.name = 'posters_root' AND substr(poster, 1, length(root.value) + 1) = root.value || '/';
    `,
  };
}

export const TRAINED_ON_MIGRATION: Migration = {
  version: 4,
  name: 'vector spaces record the ratings they were trained on',
  sql: 'ALTER TABLE vector_spaces ADD COLUMN trained_on text;',
};

/** Migration 5 of both back ends: "not interested" feedback per user (unix seconds, as ratings keep time). */
export const NOT_INTERESTED_MIGRATION: Migration = {
  version: 5,
  name: 'not-interested feedback',
  sql: `
    CREATE TABLE not_interested (
      user_id     bigint NOT NULL REFERENCES users (user_id),
      movie_id    bigint NOT NULL REFERENCES movies (movie_id),
      "timestamp" bigint NOT NULL,
      PRIMARY KEY (user_id, movie_id)
    );
  `,
};

/**
 * Migration 6 of both back ends: API keys. Only a hash of each key's secret is kept; a `user` key belongs to one user,
 * the other roles to none. A revoked key stays listed, with the time it was revoked.
 */
export const API_KEYS_MIGRATION: Migration = {
  version: 6,
  name: 'API keys',
  sql: `
    CREATE TABLE api_keys (
      key_id      text   PRIMARY KEY,
      role        text   NOT NULL CHECK (role IN ('admin', 'app', 'user')),
      user_id     bigint REFERENCES users (user_id),
      secret_hash text   NOT NULL,
      label       text,
      created_at  bigint NOT NULL,
      revoked_at  bigint,
      CHECK ((role = 'user') = (user_id IS NOT NULL))
    );
  `,
};

/**
 * Migration 7 of both back ends: a version per user, raised in the same transaction as every rating or not-interested
 * write of theirs, so a server can tell in one indexed read whether what it computed for the user still holds.
 */
export const USER_VERSION_MIGRATION: Migration = {
  version: 7,
  name: 'user state versions',
  sql: 'ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 0;',
};
