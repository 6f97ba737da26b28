/** The user's recommendations, updated after every rating, with a λ slider and a "why?" per movie; and their ratings. */
import { useEffect, useState } from 'preact/hooks';
import { api, data, type paths } from './api.js';
import { ErrorLine, MovieCard, Stars } from './components.js';

type Items = paths['/v1/users/{userId}/recommendations']['get']['responses'][200]['content']['application/json']['items'];
type Explanation = paths['/v1/users/{userId}/explain/{movieId}']['get']['responses'][200]['content']['application/json'];
type Profile = paths['/v1/users/{userId}']['get']['responses'][200]['content']['application/json'];

const percent = (share: number) => `${Math.round(share * 100)}%`;

function Why({ userId, movieId }: { userId: number; movieId: number }) {
  const [why, setWhy] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    data(api().GET('/v1/users/{userId}/explain/{movieId}', { params: { path: { userId, movieId } } }))
      .then(setWhy)
      .catch((failure: Error) => setError(failure.message));
  }, [userId, movieId]);
  if (error) return <ErrorLine error={error} />;
  if (!why) return <p class="why">…</p>;
  const shared = [
    ...why.shared.directors.map((name) => `directed by ${name.name}`),
    ...why.shared.cast.slice(0, 3).map((name) => name.name),
    ...why.shared.genres.map((name) => name.name),
  ];
  return (
    <div class="why" data-why={movieId}>
      {why.pulledBy.length > 0 ? (
        <p>
          Pulled in by{' '}
          {why.pulledBy.slice(0, 3).map((pull, i) => (
            <span key={pull.movieId}>
              {i > 0 ? ', ' : ''}
              <a href={`#/movie/${pull.movieId}`}>{pull.title}</a> ({pull.rating}★)
            </span>
          ))}
          .
        </p>
      ) : null}
      {shared.length > 0 ? <p>Shares {shared.join(', ')} with movies you liked.</p> : null}
      {why.modalities ? (
        <p>
          Text {percent(why.modalities.text)} · poster {percent(why.modalities.poster)} of its score.
        </p>
      ) : null}
    </div>
  );
}

export function Recommendations({ userId, version, onRated }: { userId: number; version: number; onRated: () => void }) {
  const [lambda, setLambda] = useState(0.8);
  const [items, setItems] = useState<Items | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    data(api().GET('/v1/users/{userId}/recommendations', { params: { path: { userId }, query: { n: 12, lambda } } }))
      .then((answer) => {
        setItems(answer.items);
        setError(null);
      })
      .catch((failure: Error) => setError(failure.message));
  }, [userId, lambda, version]);

  const rate = async (movieId: number, rating: number) => {
    await data(api().POST('/v1/users/{userId}/ratings', { params: { path: { userId } }, body: { movieId, rating } })).catch((failure: Error) =>
      setError(failure.message),
    );
    onRated();
  };
  const dismiss = async (movieId: number) => {
    await data(api().POST('/v1/users/{userId}/not-interested', { params: { path: { userId } }, body: { movieId } })).catch((failure: Error) => setError(failure.message));
    onRated();
  };

  return (
    <section aria-labelledby="recommended">
      <div class="section-head">
        <h2 id="recommended">Recommended for you</h2>
        <label class="lambda">
          relevance
          <input
            type="range"
            min="0"
            max="1"
            step="0.1"
            value={lambda}
            aria-label="relevance to diversity (λ)"
            onChange={(event) => setLambda(Number((event.target as HTMLInputElement).value))}
          />
          diversity <span class="lambda-value">λ {lambda.toFixed(1)}</span>
        </label>
      </div>
      <ErrorLine error={error} />
      {items === null ? <p>Loading…</p> : null}
      <ul class="cards" id="recommendations">
        {(items ?? []).map((item) => (
          <MovieCard key={item.movieId} movie={item} note={item.sources.join(' + ')}>
            <Stars value={null} label={item.title} onRate={(rating) => void rate(item.movieId, rating)} />
            <div class="actions">
              <button type="button" class="why-button" aria-expanded={open === item.movieId} onClick={() => setOpen(open === item.movieId ? null : item.movieId)}>
                why?
              </button>
              <button type="button" onClick={() => void dismiss(item.movieId)}>
                not interested
              </button>
            </div>
            {open === item.movieId ? <Why userId={userId} movieId={item.movieId} /> : null}
          </MovieCard>
        ))}
      </ul>
    </section>
  );
}

export function History({ userId, version }: { userId: number; version: number }) {
  const [profile, setProfile] = useState<Profile | null>(null);
  useEffect(() => {
    data(api().GET('/v1/users/{userId}', { params: { path: { userId } } }))
      .then(setProfile)
      .catch(() => setProfile(null));
  }, [userId, version]);
  if (!profile) return null;
  const latest = [...profile.history].reverse().slice(0, 12);
  return (
    <aside class="history" aria-labelledby="your-ratings">
      <h2 id="your-ratings">Your ratings ({profile.taste.ratings})</h2>
      {profile.seeded ? <p class="note">Started from a sentence; it fades as you rate.</p> : null}
      {profile.taste.genres.length > 0 ? (
        <p class="note">
          You like{' '}
          {profile.taste.genres
            .slice(0, 3)
            .map((genre) => `${genre.name} (${percent(genre.share)})`)
            .join(', ')}
          .
        </p>
      ) : null}
      <ol id="history">
        {latest.map((entry) => (
          <li key={entry.movieId}>
            <a href={`#/movie/${entry.movieId}`}>{entry.title}</a> {entry.rating}★
          </li>
        ))}
      </ol>
    </aside>
  );
}
