/** Small pieces every page uses: a poster, a movie card, star ratings, and errors. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { MovieSummary } from './api.js';

export function Poster({ movie, size = 'small' }: { movie: MovieSummary; size?: 'small' | 'large' }) {
  const [failed, setFailed] = useState(false);
  if (!movie.posterUrl || failed)
    return (
      <div class={`poster ${size} none`} aria-hidden="true">
        {movie.title.slice(0, 1)}
      </div>
    );
  return <img class={`poster ${size}`} src={movie.posterUrl} alt="" loading="lazy" onError={() => setFailed(true)} />;
}

/** 1 to 5 stars as buttons: Tab reaches them, Enter or Space rates. */
export function Stars({ value, onRate, label }: { value: number | null; onRate: (rating: number) => void; label: string }) {
  return (
    <div class="stars" role="group" aria-label={`rate ${label}`}>
      {[1, 2, 3, 4, 5].map((stars) => (
        <button
          type="button"
          class={value !== null && stars <= value ? 'star on' : 'star'}
          aria-label={`${stars} star${stars > 1 ? 's' : ''}`}
          aria-pressed={value === stars}
          onClick={() => onRate(stars)}
        >
          ★
        </button>
      ))}
    </div>
  );
}

export function MovieCard({ movie, children, note }: { movie: MovieSummary; children?: ComponentChildren; note?: string }) {
  return (
    <li class="card" data-movie={movie.movieId}>
      <a href={`#/movie/${movie.movieId}`} class="card-link">
        <Poster movie={movie} />
        <span class="title">{movie.title}</span>
      </a>
      <span class="genres">{movie.genres.join(' · ')}</span>
      {note ? <span class="note">{note}</span> : null}
      {children}
    </li>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}
