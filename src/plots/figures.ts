/**
 * What the plots show, as Plotly figures (plain JSON: traces and a layout): the movie map coloured by genre, a user's
 * taste journey over it, and the relevance–diversity trade-off of λ. html.ts writes them as interactive pages, png.ts
 * draws them as images.
 */
import type { Movie, MovieId } from '../domain.js';
import type { MovieMap } from '../map/stage.js';
import type { JourneyStep } from '../recommend/service.js';
import { PALETTE } from './palette.js';

export interface Trace {
  type: 'scatter3d' | 'scatter';
  mode: 'markers' | 'lines+markers' | 'lines';
  name: string;
  x: number[];
  y: number[];
  z?: number[];
  text?: string[];
  marker?: { size: number; color: string; opacity?: number };
  line?: { color: string; width: number };
  hovertemplate?: string;
}

export interface Figure {
  title: string;
  data: Trace[];
  layout: Record<string, unknown>;
}

/** The map's movies as one 3D trace per first genre (largest genre first), hover showing the title. */
export function movieTraces(map: MovieMap, movie: (movieId: MovieId) => Movie | undefined, opacity = 0.8): Trace[] {
  const byGenre = new Map<string, number[]>();
  map.ids.forEach((movieId, row) => {
    const genre = movie(movieId)?.genres[0] ?? '(no genre)';
    const rows = byGenre.get(genre) ?? [];
    rows.push(row);
    byGenre.set(genre, rows);
  });
  return [...byGenre]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([genre, rows], i) => ({
      type: 'scatter3d',
      mode: 'markers',
      name: `${genre} (${rows.length})`,
      x: rows.map((row) => map.points[row * 3]!),
      y: rows.map((row) => map.points[row * 3 + 1]!),
      z: rows.map((row) => map.points[row * 3 + 2]!),
      text: rows.map((row) => movie(map.ids[row]!)?.title ?? String(map.ids[row])),
      marker: { size: 2, color: PALETTE[i % PALETTE.length]!, opacity },
      hovertemplate: '%{text}<extra>%{fullData.name}</extra>',
    }));
}

const sceneLayout = { scene: { xaxis: { title: '' }, yaxis: { title: '' }, zaxis: { title: '' } }, legend: { itemsizing: 'constant' } };

export function moviesFigure(map: MovieMap, movie: (movieId: MovieId) => Movie | undefined): Figure {
  return { title: `The movie DNA (${map.ids.length} movies, ${map.method.toUpperCase()})`, data: movieTraces(map, movie), layout: sceneLayout };
}

/** The map faded, and the user's taste after each rating drawn over it as a line from the first rating to the last. */
export function journeyFigure(map: MovieMap, movie: (movieId: MovieId) => Movie | undefined, userId: number, steps: readonly JourneyStep[]): Figure {
  const journey: Trace = {
    type: 'scatter3d',
    mode: 'lines+markers',
    name: `user ${userId}: taste after each rating`,
    x: steps.map((step) => step.point[0]),
    y: steps.map((step) => step.point[1]),
    z: steps.map((step) => step.point[2]),
    text: steps.map((step, i) => `${i + 1}. ${step.title}: ${step.rating}`),
    marker: { size: 4, color: '#111111' },
    line: { color: '#111111', width: 4 },
    hovertemplate: '%{text}<extra></extra>',
  };
  return { title: `User ${userId}'s taste journey (${steps.length} ratings)`, data: [...movieTraces(map, movie, 0.15), journey], layout: sceneLayout };
}

export interface LambdaPoint {
  lambda: number;
  /** Mean relevance of the list: the ranker's score, on the same scale at every λ. */
  relevance: number;
  /** Intra-list diversity: mean 1 − cosine between the list's movies in the DNA. */
  diversity: number;
}

/** Relevance against diversity of one user's list as λ goes from 0 (diversity) to 1 (relevance). */
export function lambdaFigure(userId: number, points: readonly LambdaPoint[]): Figure {
  return {
    title: `User ${userId}: relevance against diversity as λ moves`,
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'λ',
        x: points.map((point) => point.diversity),
        y: points.map((point) => point.relevance),
        text: points.map((point) => `λ ${point.lambda.toFixed(1)}`),
        marker: { size: 8, color: '#4363d8' },
        line: { color: '#4363d8', width: 2 },
        hovertemplate: '%{text}: diversity %{x:.3f}, relevance %{y:.3f}<extra></extra>',
      },
    ],
    layout: { xaxis: { title: { text: 'intra-list diversity (mean 1 − cos)' } }, yaxis: { title: { text: 'mean relevance (ranker score)' } } },
  };
}
