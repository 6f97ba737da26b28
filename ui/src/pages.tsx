/** The pages: starting a profile, search results, a movie with its similar movies. */
import { useEffect, useState } from 'preact/hooks';
import { api, data, type MovieSummary, type paths } from './api.js';
import { ErrorLine, MovieCard, Poster, Stars } from './components.js';

type Hits = paths['/v1/search']['get']['responses'][200]['content']['application/json']['items'];
type Movie = paths['/v1/movies/{movieId}']['get']['responses'][200]['content']['application/json'];

/** What a page needs to rate for the signed-in user, or pick favourites before there is one. */
export interface Session {
  userId: number | null;
  favorites: MovieSummary[];
  toggleFavorite(movie: MovieSummary): void;
  rate(movieId: number, rating: number): Promise<void>;
}

/** Rating stars for a user, a favourite toggle before there is one. */
function Pick({ session, movie }: { session: Session; movie: MovieSummary }) {
  const [rated, setRated] = useState<number | null>(null);
  if (session.userId === null) {
    const picked = session.favorites.some((favorite) => favorite.movieId === movie.movieId);
    return (
      <button type="button" class="favorite" aria-pressed={picked} onClick={() => session.toggleFavorite(movie)}>
        {picked ? '♥ favourite' : '♡ add to favourites'}
      </button>
    );
  }
  return (
    <Stars
      value={rated}
      label={movie.title}
      onRate={(rating) => {
        setRated(rating);
        void session.rate(movie.movieId, rating);
      }}
    />
  );
}

export function StartProfile({ session, onStarted }: { session: Session; onStarted: (userId: number) => void }) {
  const [text, setText] = useState('');
  const [existing, setExisting] = useState('');
  const [error, setError] = useState<string | null>(null);
  const start = async (body: { favorites?: number[]; text?: string }) => {
    try {
      onStarted((await data(api().POST('/v1/users', { body }))).userId);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section class="start" aria-labelledby="start">
      <h2 id="start">Start your profile</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void start({ text });
        }}
      >
        <label for="sentence">Describe the movies you like</label>
        <textarea
          id="sentence"
          rows={2}
          value={text}
          placeholder="e.g. a funny animated adventure for the whole family"
          onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
        />
        <button type="submit" disabled={text.trim().length === 0}>
          Start from this sentence
        </button>
      </form>
      <p>Or search above and mark favourites: {session.favorites.length === 0 ? 'none yet.' : session.favorites.map((movie) => movie.title).join(', ')}</p>
      <button
        type="button"
        id="start-favorites"
        disabled={session.favorites.length === 0}
        onClick={() => void start({ favorites: session.favorites.map((movie) => movie.movieId) })}
      >
        Start from {session.favorites.length} favourite{session.favorites.length === 1 ? '' : 's'}
      </button>
      <form
        class="existing"
        onSubmit={(event) => {
          event.preventDefault();
          if (/^[1-9]\d*$/.test(existing)) onStarted(Number(existing));
        }}
      >
        <label for="existing">Or continue as user</label>
        <input id="existing" inputMode="numeric" value={existing} onInput={(event) => setExisting((event.target as HTMLInputElement).value)} />
        <button type="submit">Continue</button>
      </form>
      <ErrorLine error={error} />
    </section>
  );
}

export function SearchResults({ query, session }: { query: string; session: Session }) {
  const [hits, setHits] = useState<Hits | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setHits(null);
    data(api().GET('/v1/search', { params: { query: { query, limit: 24 } } }))
      .then((answer) => setHits(answer.items))
      .catch((failure: Error) => setError(failure.message));
  }, [query]);
  return (
    <section aria-labelledby="results">
      <h2 id="results">Movies for “{query}”</h2>
      <ErrorLine error={error} />
      {hits === null && !error ? <p>Searching…</p> : null}
      <ul class="cards" id="search-results">
        {(hits ?? []).map((hit) => (
          <MovieCard key={hit.movieId} movie={hit} note={hit.match === 'title' ? 'title match' : 'close in meaning'}>
            <Pick session={session} movie={hit} />
          </MovieCard>
        ))}
      </ul>
    </section>
  );
}

export function MoviePage({ movieId, session }: { movieId: number; session: Session }) {
  const [movie, setMovie] = useState<Movie | null>(null);
  const [similar, setSimilar] = useState<MovieSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMovie(null);
    data(api().GET('/v1/movies/{movieId}', { params: { path: { movieId } } }))
      .then(setMovie)
      .catch((failure: Error) => setError(failure.message));
    data(api().GET('/v1/movies/{movieId}/similar', { params: { path: { movieId }, query: { n: 12 } } }))
      .then((answer) => setSimilar(answer.items))
      .catch(() => setSimilar([]));
  }, [movieId]);
  if (error) return <ErrorLine error={error} />;
  if (!movie) return <p>Loading…</p>;
  return (
    <article class="movie" aria-labelledby="movie-title">
      <div class="movie-head">
        <Poster movie={movie} size="large" />
        <div>
          <h2 id="movie-title">{movie.title}</h2>
          <p class="genres">{movie.genres.join(' · ')}</p>
          {movie.tagline ? <p class="tagline">{movie.tagline}</p> : null}
          {movie.overview ? <p>{movie.overview}</p> : null}
          {movie.directors.length > 0 ? <p>Directed by {movie.directors.join(', ')}</p> : null}
          {movie.cast.length > 0 ? <p>With {movie.cast.slice(0, 6).join(', ')}</p> : null}
          <Pick session={session} movie={movie} />
        </div>
      </div>
      <h3>Similar movies</h3>
      <ul class="cards" id="similar">
        {similar.map((other) => (
          <MovieCard key={other.movieId} movie={other}>
            <Pick session={session} movie={other} />
          </MovieCard>
        ))}
      </ul>
    </article>
  );
}
