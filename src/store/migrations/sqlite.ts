import type { Migration } from './migration.js';

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
  {
    version: 3,
    name: 'settings; poster paths relative to the posters root',
    sql: `
      CREATE TABLE settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      -- Posters used to be stored as absolute paths: the directory of the first one becomes the posters root and the
      -- posters in it keep their names from there. (rtrim drops the characters of the file name, up to the last '/'.)
      INSERT INTO settings (name, value)
        SELECT 'posters_root', rtrim(rtrim(poster, replace(poster, '/', '')), '/')
        FROM movies WHERE poster LIKE '/%' ORDER BY movie_id LIMIT 1;
      UPDATE movies SET poster = substr(poster, length(root.value) + 2)
        FROM settings AS root
        WHERE root.name = 'posters_root' AND substr(poster, 1, length(root.value) + 1) = root.value || '/';
    `,
  },
  {
    version: 4,
    name: 'vector spaces record the ratings they were trained on',
    sql: `ALTER TABLE vector_spaces ADD COLUMN trained_on TEXT;`,
  },
];
