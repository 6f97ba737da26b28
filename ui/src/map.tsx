/**
 * The 3D map of the movie DNA (Plotly, loaded with this page only), coloured by genre, and the user's taste journey
 * through it. Hovering a movie shows its title and poster beside the map; clicking opens it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, data, type paths } from './api.js';
import { ErrorLine } from './components.js';
import { PALETTE } from '../../src/plots/palette.js';

type MovieMap = paths['/v1/map']['get']['responses'][200]['content']['application/json'];
type Journey = paths['/v1/users/{userId}/journey']['get']['responses'][200]['content']['application/json'];

interface Hovered {
  movieId: number;
  title: string;
}

function traces(map: MovieMap, journey: Journey | null): unknown[] {
  const byGenre = new Map<string, number[]>();
  map.genres.forEach((genre, i) => byGenre.set(genre, [...(byGenre.get(genre) ?? []), i]));
  const genres = [...byGenre].sort((a, b) => b[1].length - a[1].length);
  const movies = genres.map(([genre, rows], i) => ({
    type: 'scatter3d',
    mode: 'markers',
    name: genre,
    x: rows.map((row) => map.points[row * 3]),
    y: rows.map((row) => map.points[row * 3 + 1]),
    z: rows.map((row) => map.points[row * 3 + 2]),
    text: rows.map((row) => map.titles[row]),
    customdata: rows.map((row) => map.ids[row]),
    marker: { size: 2, color: PALETTE[i % PALETTE.length], opacity: journey ? 0.35 : 0.8 },
    hovertemplate: '%{text}<extra>%{fullData.name}</extra>',
  }));
  if (!journey || journey.steps.length === 0) return movies;
  return [
    ...movies,
    {
      type: 'scatter3d',
      mode: 'lines+markers',
      name: 'your taste journey',
      x: journey.steps.map((step) => step.point[0]),
      y: journey.steps.map((step) => step.point[1]),
      z: journey.steps.map((step) => step.point[2]),
      text: journey.steps.map((step, i) => `${i + 1}. ${step.title} ${step.rating}★`),
      customdata: journey.steps.map((step) => step.movieId),
      marker: { size: 4, color: '#111' },
      line: { color: '#111', width: 5 },
      hovertemplate: 'after %{text}<extra></extra>',
    },
  ];
}

export function MapPage({ userId, version }: { userId: number | null; version: number }) {
  const plot = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MovieMap | null>(null);
  const [journey, setJourney] = useState<Journey | null>(null);
  const [hovered, setHovered] = useState<Hovered | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    data(api().GET('/v1/map', { params: { query: { method: 'umap' } } }))
      .then(setMap)
      .catch((failure: Error) => setError(failure.message));
  }, []);
  useEffect(() => {
    if (userId === null) return;
    data(api().GET('/v1/users/{userId}/journey', { params: { path: { userId }, query: { method: 'umap' } } }))
      .then(setJourney)
      .catch((failure: Error) => setError(failure.message));
  }, [userId, version]);
  useEffect(() => {
    const element = plot.current;
    if (!map || !element) return;
    let cancelled = false;
    void import('plotly.js-dist-min').then(async ({ default: Plotly }) => {
      if (cancelled) return;
      const layout = {
        margin: { l: 0, r: 0, t: 0, b: 0 },
        scene: { xaxis: { visible: false }, yaxis: { visible: false }, zaxis: { visible: false }, camera: { eye: { x: 0.75, y: 0.75, z: 0.5 } } },
        legend: { itemsizing: 'constant' },
        uirevision: 'map',
      };
      await Plotly.react(element, traces(map, journey), layout, { responsive: true, displaylogo: false });
      const events = element as unknown as {
        on(event: string, handler: (event: { points: { customdata: number; text: string }[] }) => void): void;
        dataset: DOMStringMap;
      };
      if (events.dataset.wired) return;
      events.dataset.wired = 'yes';
      events.on('plotly_hover', (event) => {
        const point = event.points[0];
        if (point) setHovered({ movieId: point.customdata, title: point.text });
      });
      events.on('plotly_click', (event) => {
        const point = event.points[0];
        if (point) location.hash = `#/movie/${point.customdata}`;
      });
    });
    return () => {
      cancelled = true;
    };
  }, [map, journey]);
  return (
    <section class="map-page" aria-labelledby="map-title">
      <h2 id="map-title">The movie map{journey ? ' and your taste journey' : ''}</h2>
      <p class="note">
        Every movie by its DNA (UMAP to 3D), coloured by its first genre. {userId !== null ? 'The black line is your taste after each rating.' : ''} Drag to turn, scroll
        to zoom, click a movie to open it.
      </p>
      <ErrorLine error={error} />
      {!map && !error ? <p>Drawing the map…</p> : null}
      <div class="map-row">
        <div id="map" ref={plot} data-movies={map?.ids.length ?? 0} data-journey={journey?.steps.length ?? 0} />
        {hovered ? (
          <aside class="hovered" aria-live="polite">
            <img class="poster large" src={`/posters/${hovered.movieId}`} alt="" onError={(event) => ((event.target as HTMLImageElement).style.visibility = 'hidden')} />
            <p>{hovered.title}</p>
          </aside>
        ) : null}
      </div>
    </section>
  );
}
