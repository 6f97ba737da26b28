/**
 * How library code reports long work without knowing where it shows: the CLI passes a bar (cli/progress.ts), tests
 * and the server pass `silentProgress`.
 */

/** One phase of long work: `tick` as items finish (with an optional status, e.g. running losses), `done` at the end. */
export interface ProgressBar {
  tick(count?: number, detail?: string): void;
  done(): void;
}

/** Starts a bar for a phase of `total` items. */
export type Progress = (label: string, total: number) => ProgressBar;

export const silentProgress: Progress = () => ({ tick() {}, done() {} });
