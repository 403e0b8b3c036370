import type { Totals } from './statistics.js';

/** A data-table cell: text, a number (formatted by the page, never abbreviated), or a link. */
export type Cell = string | number | { text: string; href: string };

/** The data table under a chart (screen readers, low bandwidth): column titles and rows. */
export interface Table {
  columns: string[];
  rows: Cell[][];
}

/** A charted poll run: its date label and where its points lead. */
export interface ChartPollRun {
  id: number;
  /** Org-local `YYYY-MM-DD` of conductedOn (spec §13.9). */
  date: string;
  /** Its summary, with the page's filters. */
  url: string;
  /** Its participation tab, with the page's filters (response-rate points). */
  participationUrl: string;
}


/** Answer totals of one poll run, of one region when split by region. */
export interface RunTotals {
  pollRunId: number;
  regionId?: number | null;
  totals: Totals;
}

/** Selected responses of one poll run, of one region when split by region. */
export interface RunResponses {
  pollRunId: number;
  regionId?: number | null;
  responses: number;
}

/** Answers of one poll run in one category (null: no category). */
export interface RunCategory {
  pollRunId: number;
  category: string | null;
  answers: number;
}
