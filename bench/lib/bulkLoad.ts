/**
 * Bulk loading for benchmarks: COPY from generated lines, and loading a table with its secondary
 * indexes dropped and rebuilt afterwards (the schema's own definitions, so the result is the same).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const CHUNK_BYTES = 1 << 20;

/**
 * Streams lines into `COPY … FROM STDIN` (text format), in chunks of about 1 MB.
 * @param client a connected client.
 * @param copySql the COPY statement.
 * @param lines tab-separated lines without their newline.
 * @returns how many lines were sent.
 */
export async function copyLines(client: pg.Client, copySql: string, lines: Iterable<string>): Promise<number> {
  let count = 0;
  function* chunks() {
    let buffer = '';
    for (const line of lines) {
      buffer += line + '\n';
      count += 1;
      if (buffer.length >= CHUNK_BYTES) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(copySql)));
  return count;
}

/**
 * Runs a bulk load with the tables' secondary indexes dropped, then rebuilds them from their
 * stored definitions (primary keys stay: ids are loaded in order, so they only append).
 * @param client a connected client.
 * @param tables the tables.
 * @param load the loading work.
 * @returns seconds spent rebuilding the indexes.
 */
export async function withoutSecondaryIndexes(client: pg.Client, tables: string[], load: () => Promise<void>): Promise<number> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')`,
    [tables],
  );
  for (const row of rows) await client.query(`DROP INDEX "${row.indexname}"`);
  await load();
  const started = performance.now();
  for (const row of rows) await client.query(row.indexdef);
  return (performance.now() - started) / 1000;
}

/** Escapes a value for COPY text format. */
export function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
