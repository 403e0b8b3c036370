/** JSON every chart module reads: labels and values, plus the same data as a table. */
export interface CountsChart {
  labels: string[];
  values: number[];
  table: { columns: string[]; rows: (string | number)[][] };
}

/**
 * Presents labelled counts for a doughnut or bar chart, with the matching data table.
 * @param entries label and count pairs, in display order.
 * @param columns the table's two column titles.
 * @returns the chart JSON.
 */
export function presentCounts(entries: [string, number][], columns: [string, string]): CountsChart {
  return {
    labels: entries.map(([label]) => label),
    values: entries.map(([, value]) => value),
    table: { columns, rows: entries.map(([label, value]) => [label, value]) },
  };
}
