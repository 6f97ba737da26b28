import type { Migration } from './migration.js';
import { API_KEYS_MIGRATION, USER_VERSION_MIGRATION, NOT_INTERESTED_MIGRATION, settingsAndRelativePosters, TRAINED_ON_MIGRATION } from './shared.js';

/** SQLite schema, one step per version; applied in order once each and recorded in schema_migrations. */

export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'catalog and interactions',
    sql: `
      CREATE TABLE movies (
        movie_id     INTEGER PRIMARY KEY,
        title        TEXT    NOT NULL,
        year         INTEGER,
        genres       TEXT    NOT NULL DEFAULT '[]', -- JSON arrays of strings
        overview     TEXT,
        tagline      TEXT,
        keywords     TEXT    NOT NULL DEFAULT '[]',
        cast_members TEXT    NOT NULL DEFAULT '[]',
        directors    TEXT    NOT NULL DEFAULT '[]',
        release_date TEXT,
        runtime      INTEGER,
        language     TEXT,
        imdb_id      TEXT,
        tmdb_id      INTEGER,
        poster       TEXT
      );
      CREATE INDEX movies_tmdb_id ON movies (tmdb_id);
      CREATE TABLE users (
        user_id INTEGER PRIMARY KEY
      );
      CREATE TABLE ratings (
        user_id   INTEGER NOT NULL REFERENCES users (user_id),
        movie_id  INTEGER NOT NULL REFERENCES movies (movie_id),
        rating    REAL    NOT NULL CHECK (rating >= 0.5 AND rating <= 5.0),
        timestamp INTEGER NOT NULL,
        PRIMARY KEY (user_id, movie_id)
      ) WITHOUT ROWID;
      CREATE INDEX ratings_movie_id ON ratings (movie_id);
      CREATE TABLE tags (
        user_id   INTEGER NOT NULL REFERENCES users (user_id),
        movie_id  INTEGER NOT NULL REFERENCES movies (movie_id),
        tag       TEXT    NOT NULL,
        timestamp INTEGER NOT NULL,
        PRIMARY KEY (user_id, movie_id, tag)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'vector spaces',
    sql: `
      CREATE TABLE vector_spaces (
        space_id   INTEGER PRIMARY KEY,
        owner      TEXT    NOT NULL CHECK (owner IN ('movie', 'user')),
        kind       TEXT    NOT NULL,
        producer   TEXT    NOT NULL,
        version    TEXT    NOT NULL,
        dim        INTEGER NOT NULL CHECK (dim > 0),
        updated_at TEXT    NOT NULL,
        UNIQUE (owner, kind, producer)
      );
      -- embedding: dim float32 values, little-endian (the byte order of every platform Node runs on)
      CREATE TABLE movie_vectors (
        space_id     INTEGER NOT NULL REFERENCES vector_spaces (space_id) ON DELETE CASCADE,
        id           INTEGER NOT NULL REFERENCES movies (movie_id),
        content_hash TEXT,
        embedding    BLOB    NOT NULL,
        PRIMARY KEY (space_id, id)
      );
      CREATE TABLE user_vectors (
        space_id     INTEGER NOT NULL REFERENCES vector_spaces (space_id) ON DELETE CASCADE,
        id           INTEGER NOT NULL REFERENCES users (user_id),
        content_hash TEXT,
        embedding    BLOB    NOT NULL,
        PRIMARY KEY (space_id, id)
      );
    `,
  },
  // rtrim drops the characters of the file name, up to the last '/', then the '/'.
  settingsAndRelativePosters((path) => `rtrim(rtrim(${path}, replace(${path}, '/', '')), '/')`),
  TRAINED_ON_MIGRATION,
  NOT_INTERESTED_MIGRATION,
  API_KEYS_MIGRATION,
  USER_VERSION_MIGRATION,
];
