import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/** A CSV file to write: its header row, then its rows in batches (as a database cursor reads them). */
export interface CsvSource {
  header: string[];
  batches: AsyncIterable<string[][]>;
}

/** How a CSV stream went. */
export interface CsvOutcome {
  rows: number;
  /** The destination closed before the end (a browser gave up on a download). */
  aborted: boolean;
}

/**
 * Writes a CSV source into a stream with csv-stringify (UTF-8 with a byte-order mark so that
 * spreadsheets read accents, RFC 4180 quoting and line ends), honouring backpressure: a slow
 * reader slows the database reads down instead of filling memory. Stops early when the
 * destination closes.
 * @param source the header and the row batches.
 * @param out where the bytes go (an HTTP response, an export file).
 * @param onBatch called after each batch with the rows written so far (progress).
 * @returns rows written and whether the destination went away.
 */
export async function pipeCsv(source: CsvSource, out: Writable, onBatch?: (rows: number) => Promise<void> | void): Promise<CsvOutcome> {
  const csv = stringify({ bom: true, quoted: true, record_delimiter: 'windows' });
  csv.pipe(out);
  const gone = new AbortController();
  out.once('close', () => gone.abort());
  // Waits only when the stringifier's buffer is full (a promise per row would cost more than the
  // row), and stops waiting when the destination closes.
  const drained = () => once(csv, 'drain', { signal: gone.signal }).catch(() => undefined);
  let rows = 0;
  try {
    if (!csv.write(source.header)) await drained();
    for await (const batch of source.batches) {
      for (const row of batch) if (!csv.write(row)) await drained();
      if (out.destroyed) {
        csv.destroy();
        return { rows, aborted: true };
      }
      rows += batch.length;
      await onBatch?.(rows);
    }
  } catch (error) {
    // Half a file must not look whole: the reader sees a broken download, the caller the error.
    csv.destroy();
    out.destroy();
    throw error;
  }
  csv.end();
  const complete = await finished(out).then(() => true, () => false);
  return { rows, aborted: !complete };
}

/**
 * Keeps a spreadsheet from running a cell as a formula: a leading =, +, -, @, tab or carriage
 * return gets a quote, unless the cell is a plain number (OWASP "CSV injection"), so numbers and
 * phone numbers stay raw.
 * @param value the cell.
 * @returns the cell to write.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/**
 * Maps each row of each batch (database rows to CSV cells).
 * @param batches the batches.
 * @param map the row mapping.
 * @returns the mapped batches.
 */
export async function* mapBatches<T>(batches: AsyncIterable<unknown[][]>, map: (row: unknown[]) => T): AsyncGenerator<T[]> {
  for await (const batch of batches) yield batch.map(map);
}
