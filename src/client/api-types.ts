// Generated from the server's /openapi.json by `npm run client:generate`; do not edit by hand.
export interface paths {
  '/v1/users/{userId}/recommendations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Recommendations for a user, best first
     * @description From the user's ratings (and seed sentence), through retrieval, the learned ranker and MMR; the most popular movies for a user with no taste yet.
     */
    get: {
      parameters: {
        query?: {
          /** @description how many movies */
          n?: number;
          /** @description relevance (1) ↔ diversity (0) */
          lambda?: number;
          /** @description keep movies with one of these genres, comma-separated */
          genres?: string;
          /** @description drop movies with any of these genres */
          excludeGenres?: string;
          yearFrom?: number;
          yearTo?: number;
          /** @description ISO 639-1 code, e.g. en */
          language?: string;
          /** @description add the reasons for each movie */
          explain?: '0' | '1' | 'true' | 'false';
        };
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                movieId: number;
                title: string;
                year: number | null;
                genres: string[];
                /** @description GET this for the poster image; null when the movie has none */
                posterUrl: string | null;
                /** @description the MMR score it was picked with */
                score: number;
                /** @description the ranker's score */
                relevance: number;
                /** @description the candidate sources that brought it */
                sources: string[];
                reasons?: {
                  /** @description cosine of the user's taste to the movie's DNA */
                  score: number | null;
                  /** @description the rated movies that pulled it in most */
                  pulledBy: {
                    movieId: number;
                    title: string;
                    rating: number;
                    similarity: number;
                    weight: number;
                    contribution: number;
                  }[];
                  shared: {
                    directors: {
                      name: string;
                      likedMovies: number;
                    }[];
                    cast: {
                      name: string;
                      likedMovies: number;
                    }[];
                    genres: {
                      name: string;
                      likedMovies: number;
                    }[];
                    keywords: {
                      name: string;
                      likedMovies: number;
                    }[];
                  };
                };
              }[];
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}/explain/{movieId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Why a movie suits a user
     * @description The rated movies that pulled it in, what it shares with the movies the user liked, and how much of its score its text and its poster give.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
          /** @description a MovieLens movie id */
          movieId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              movieId: number;
              title: string;
              /** @description cosine of the user's taste to the movie's DNA */
              score: number | null;
              /** @description the rated movies that pulled it in most */
              pulledBy: {
                movieId: number;
                title: string;
                rating: number;
                similarity: number;
                weight: number;
                contribution: number;
              }[];
              shared: {
                directors: {
                  name: string;
                  likedMovies: number;
                }[];
                cast: {
                  name: string;
                  likedMovies: number;
                }[];
                genres: {
                  name: string;
                  likedMovies: number;
                }[];
                keywords: {
                  name: string;
                  likedMovies: number;
                }[];
              };
              /** @description how much of the score the movie's text and its poster give */
              modalities: {
                textOnlyScore: number;
                text: number;
                poster: number;
              } | null;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/movies/{movieId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One movie */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a MovieLens movie id */
          movieId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              movieId: number;
              title: string;
              year: number | null;
              genres: string[];
              /** @description GET this for the poster image; null when the movie has none */
              posterUrl: string | null;
              overview: string | null;
              tagline: string | null;
              keywords: string[];
              cast: string[];
              directors: string[];
              releaseDate: string | null;
              runtime: number | null;
              language: string | null;
              imdbId: string | null;
              tmdbId: number | null;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/movies/{movieId}/similar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The movies nearest to this one in the movie DNA */
    get: {
      parameters: {
        query?: {
          /** @description how many movies */
          n?: number;
        };
        header?: never;
        path: {
          /** @description a MovieLens movie id */
          movieId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                movieId: number;
                title: string;
                year: number | null;
                genres: string[];
                /** @description GET this for the poster image; null when the movie has none */
                posterUrl: string | null;
                /** @description cosine in the DNA */
                score: number;
              }[];
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/posters/{movieId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A movie's poster image
     * @description Public, so that <img> tags can load it; cached for a day.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a MovieLens movie id */
          movieId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description the image, as its file is (JPEG for the shared posters) */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'image/jpeg': string;
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a user from favourites, a sentence, both or nothing */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @description movies the user loves: stored as ratings of 5 */
            favorites?: number[];
            /** @description a sentence about the movies they like */
            text?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              userId: number;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's ratings and a summary of their taste */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              userId: number;
              /** @description oldest first */
              history: {
                movieId: number;
                title: string;
                rating: number;
                timestamp: number;
              }[];
              notInterested: number[];
              /** @description whether a sentence seeds the taste (it fades as ratings come) */
              seeded: boolean;
              taste: {
                ratings: number;
                meanRating: number | null;
                /** @description ratings of 4 or more */
                liked: number;
                genres: {
                  name: string;
                  /** @description share of the user's liked movies */
                  share: number;
                }[];
                directors: {
                  name: string;
                  /** @description share of the user's liked movies */
                  share: number;
                }[];
                cast: {
                  name: string;
                  /** @description share of the user's liked movies */
                  share: number;
                }[];
              };
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}/ratings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rate a movie (or change a rating)
     * @description Durable when answered; the taste moves at once and the next recommendations follow.
     */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            movieId: number;
            /** @description from 0.5 to 5 in steps of 0.5 */
            rating: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              userId: number;
              movieId: number;
              rating: number;
              /** @description how many ratings the taste now stands on */
              ratings: number;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}/ratings/{movieId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a rating */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
          /** @description a MovieLens movie id */
          movieId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description removed */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}/not-interested': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Never recommend this movie to this user again */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
        };
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            movieId: number;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              userId: number;
              movieId: number;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/search': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Find movies by title, or by what a sentence means
     * @description Title matches first (case, accents, articles and the year do not matter), then the movies whose DNA is closest to the text.
     */
    get: {
      parameters: {
        query: {
          query: string;
          limit?: number;
          mode?: 'title' | 'text' | 'both';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              items: {
                movieId: number;
                title: string;
                year: number | null;
                genres: string[];
                /** @description GET this for the poster image; null when the movie has none */
                posterUrl: string | null;
                /** @description title: how fully the query names it; text: cosine of the sentence to the DNA */
                score: number;
                /** @enum {string} */
                match: 'title' | 'text';
              }[];
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/map': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The movie DNA in 3D, for the map
     * @description Columns, one entry per movie: ids, titles, first genres, and x, y, z in `points` (3 per movie). Drawn once per DNA and cached.
     */
    get: {
      parameters: {
        query?: {
          method?: 'umap' | 'pca';
        };
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              method: 'umap' | 'pca';
              dnaVersion: string;
              ids: number[];
              titles: string[];
              genres: string[];
              /** @description x, y, z of movie i at 3i, 3i + 1, 3i + 2 */
              points: number[];
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/users/{userId}/journey': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The user's taste after each rating, placed on the map */
    get: {
      parameters: {
        query?: {
          method?: 'umap' | 'pca';
        };
        header?: never;
        path: {
          /** @description a user id */
          userId: number;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              steps: {
                movieId: number;
                title: string;
                rating: number;
                /** @description x, y, z */
                point: number[];
              }[];
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/metrics/embeddings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The movie vectors: spaces, coverage, encoders, the index, and each space's quality
     * @description The quality is measured on the first call after the vectors change (seconds), then cached.
     */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              movies: number;
              /** @description share of movies with a poster */
              posterCoverage: number;
              spaces: {
                name: string;
                kind: string;
                /** @description the encoder or fusion that made the vectors */
                producer: string;
                version: string;
                dim: number;
                count: number;
                /** @description share of movies with a vector */
                coverage: number;
                updatedAt: string;
              }[];
              dna: {
                name: string;
                version: string;
                dim: number;
                count: number;
              };
              index: {
                /** @description movies in the ANN index */
                size: number;
              };
              /** @description per space, each measure beside its value for random neighbours */
              quality: {
                name: string;
                dim: number;
                count: number;
                /** @description share of a movie's 10 nearest that share a genre */
                genrePrecision10: number | null;
                /** @description a director's other films found among the 10 nearest */
                directorRecall10: number | null;
                /** @description the lead actor's other films found among the 10 nearest */
                castRecall10: number | null;
                random: {
                  /** @description share of a movie's 10 nearest that share a genre */
                  genrePrecision10: number | null;
                  /** @description a director's other films found among the 10 nearest */
                  directorRecall10: number | null;
                  /** @description the lead actor's other films found among the 10 nearest */
                  castRecall10: number | null;
                };
                /** @enum {string} */
                queries: 'all' | 'held-out';
              }[];
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether the server is up and reaches its store */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              /** @enum {string} */
              status: 'ok';
              /** @enum {string} */
              store: 'sqlite' | 'postgres';
              uptimeSeconds: number;
            };
          };
        };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every API key, without secrets */
    get: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description Default Response */
        200: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              keys: {
                keyId: string;
                /** @enum {string} */
                role: 'admin' | 'app' | 'user';
                userId: number | null;
                label: string | null;
                /** @description unix seconds */
                createdAt: number;
                revokedAt: number | null;
              }[];
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    put?: never;
    /** Create an API key (answered once: only its hash is kept) */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path?: never;
        cookie?: never;
      };
      requestBody: {
        content: {
          'application/json': {
            /** @enum {string} */
            role: 'admin' | 'app' | 'user';
            /** @description the user a user key acts for */
            userId?: number;
            label?: string;
          };
        };
      };
      responses: {
        /** @description Default Response */
        201: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              keyId: string;
              /** @enum {string} */
              role: 'admin' | 'app' | 'user';
              userId: number | null;
              label: string | null;
              /** @description unix seconds */
              createdAt: number;
              revokedAt: number | null;
              key: string;
            };
          };
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/keys/{keyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: {
      parameters: {
        query?: never;
        header?: never;
        path: {
          keyId: string;
        };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        /** @description revoked */
        204: {
          headers: {
            [name: string]: unknown;
          };
          content?: never;
        };
        /** @description an error */
        400: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        401: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        403: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
        /** @description an error */
        404: {
          headers: {
            [name: string]: unknown;
          };
          content: {
            'application/json': {
              statusCode: number;
              /** @description the HTTP status text */
              error: string;
              /** @description what was wrong, naming the field */
              message: string;
            };
          };
        };
      };
    };
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
