import type { Migration } from './migration.js';
import { API_KEYS_MIGRATION, USER_VERSION_MIGRATION, NOT_INTERESTED_MIGRATION, settingsAndRelativePosters, TRAINED_ON_MIGRATION } from './shared.js';

/**
 * PostgreSQL schema, version for version the same tables as SQLITE_MIGRATIONS. Lists are jsonb (the same JSON text
 * as SQLite's), ids and times bigint. Each vector space's vectors get a table of their own, created on demand
 * (postgres.ts), so that its `vector(dim)` column has a fixed dimension for its HNSW index.
 */
export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'catalog and interactions',
    sql: `
      CREATE TABLE movies (
        movie_id     bigint  PRIMARY KEY,
        title        text    NOT NULL,
        year         integer,
        genres       jsonb   NOT NULL DEFAULT '[]',
        overview     text,
        tagline      text,
        keywords     jsonb   NOT NULL DEFAULT '[]',
        cast_members jsonb   NOT NULL DEFAULT '[]',
        directors    jsonb   NOT NULL DEFAULT '[]',
        release_date text,
        runtime      integer,
        language     text,
        imdb_id      text,
        tmdb_id      bigint,
        poster       text
      );
      CREATE INDEX movies_tmdb_id ON movies (tmdb_id);
      CREATE TABLE users (
        user_id bigint PRIMARY KEY
      );
      CREATE TABLE ratings (
        user_id     bigint NOT NULL REFERENCES users (user_id),
        movie_id    bigint NOT NULL REFERENCES movies (movie_id),
        rating      real   NOT NULL CHECK (rating >= 0.5 AND rating <= 5.0),
        "timestamp" bigint NOT NULL,
        PRIMARY KEY (user_id, movie_id)
      );
      CREATE INDEX ratings_movie_id ON ratings (movie_id);
      CREATE TABLE tags (
        user_id     bigint NOT NULL REFERENCES users (user_id),
        movie_id    bigint NOT NULL REFERENCES movies (movie_id),
        tag         text   NOT NULL,
        "timestamp" bigint NOT NULL,
        PRIMARY KEY (user_id, movie_id, tag)
      );
    `,
  },
  {
    version: 2,
    name: 'vector spaces',
    sql: `
      CREATE TABLE vector_spaces (
        space_id   integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner      text        NOT NULL CHECK (owner IN ('movie', 'user')),
        kind       text        NOT NULL,
        producer   text        NOT NULL,
        version    text        NOT NULL,
        dim        integer     NOT NULL CHECK (dim > 0 AND dim <= 16000),
        updated_at timestamptz NOT NULL,
        UNIQUE (owner, kind, producer)
      );
    `,
  },
  settingsAndRelativePosters((path) => `regexp_replace(${path}, '/[^/]*$', '')`),
  TRAINED_ON_MIGRATION,
  NOT_INTERESTED_MIGRATION,
  API_KEYS_MIGRATION,
  USER_VERSION_MIGRATION,
];
