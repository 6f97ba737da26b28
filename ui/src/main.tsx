/** The reelsense web UI: one page, routed by the URL fragment (#/, #/search/…, #/movie/ID, #/map). */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, apiKey, data, forgetKey, savedUser, saveUser, type MovieSummary } from './api.js';
import { MapPage } from './map.js';
import { MoviePage, SearchResults, StartProfile, type Session } from './pages.js';
import { History, Recommendations } from './recommendations.js';
import './style.css';

type Route = { page: 'home' } | { page: 'search'; query: string } | { page: 'movie'; movieId: number } | { page: 'map' };

function routeOf(hash: string): Route {
  const search = /^#\/search\/(.+)$/.exec(hash);
  if (search) return { page: 'search', query: decodeURIComponent(search[1]!) };
  const movie = /^#\/movie\/(\d+)$/.exec(hash);
  if (movie) return { page: 'movie', movieId: Number(movie[1]) };
  return hash === '#/map' ? { page: 'map' } : { page: 'home' };
}

function NoKey() {
  const [key, setKey] = useState('');
  return (
    <main class="no-key">
      <h1>reelsense</h1>
      <p>This page needs an API key: open the URL the main job printed (it ends in #key=…), or paste a key here.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = `#key=${key.trim()}`;
          location.reload();
        }}
      >
        <input aria-label="API key" value={key} onInput={(event) => setKey((event.target as HTMLInputElement).value)} placeholder="rsk_…" />
        <button type="submit">Use this key</button>
      </form>
    </main>
  );
}

function App() {
  const [route, setRoute] = useState<Route>(routeOf(location.hash));
  const [userId, setUserId] = useState<number | null>(savedUser());
  const [favorites, setFavorites] = useState<MovieSummary[]>([]);
  // Raised by every rating or dislike: the lists, the history and the journey fetch again.
  const [version, setVersion] = useState(0);
  const [query, setQuery] = useState('');
  const [keyRefused, setKeyRefused] = useState(false);
  useEffect(() => {
    const follow = () => setRoute(routeOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  useEffect(() => {
    // A key that no longer works (revoked, another store) sends the visitor back to the key form.
    void api()
      .GET('/v1/search', { params: { query: { query: 'a', limit: 1, mode: 'title' } } })
      .then(({ response }) => setKeyRefused(response.status === 401));
  }, []);
  if (keyRefused) {
    forgetKey();
    return <NoKey />;
  }
  const signIn = (id: number | null) => {
    saveUser(id);
    setUserId(id);
    setFavorites([]);
    setVersion((v) => v + 1);
    location.hash = '#/';
  };
  const session: Session = {
    userId,
    favorites,
    toggleFavorite: (movie) =>
      setFavorites((current) =>
        current.some((other) => other.movieId === movie.movieId) ? current.filter((other) => other.movieId !== movie.movieId) : [...current, movie],
      ),
    rate: async (movieId, rating) => {
      if (userId === null) return;
      await data(api().POST('/v1/users/{userId}/ratings', { params: { path: { userId } }, body: { movieId, rating } }));
      setVersion((v) => v + 1);
    },
  };
  return (
    <>
      <header>
        <a href="#/" class="brand">
          reelsense
        </a>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            if (query.trim()) location.hash = `#/search/${encodeURIComponent(query.trim())}`;
          }}
        >
          <input
            type="search"
            id="search"
            aria-label="search by title or describe a movie"
            placeholder="Title, or describe a movie…"
            value={query}
            onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
          />
          <button type="submit">Search</button>
        </form>
        <nav>
          <a href="#/">For you</a>
          <a href="#/map">Map</a>
          {userId !== null ? (
            <button type="button" class="link" onClick={() => signIn(null)}>
              user {userId} · switch
            </button>
          ) : null}
        </nav>
      </header>
      <main>
        {route.page === 'search' ? <SearchResults query={route.query} session={session} /> : null}
        {route.page === 'movie' ? <MoviePage movieId={route.movieId} session={session} /> : null}
        {route.page === 'map' ? <MapPage userId={userId} version={version} /> : null}
        {route.page === 'home' && userId === null ? <StartProfile session={session} onStarted={signIn} /> : null}
        {route.page === 'home' && userId !== null ? (
          <div class="home">
            <Recommendations userId={userId} version={version} onRated={() => setVersion((v) => v + 1)} />
            <History userId={userId} version={version} />
          </div>
        ) : null}
      </main>
    </>
  );
}

render(apiKey() ? <App /> : <NoKey />, document.getElementById('app')!);
