import { Writable } from 'node:stream';
import { appendExportChunk } from '../db/exports.js';
import { EXPORT_CHUNK_BYTES } from './limits.js';

/**
 * A writable stream that stores what it is given as an export file's pieces of about
 * EXPORT_CHUNK_BYTES each, in order. A write completes only once its piece is stored, so the CSV
 * writer (and the database cursor behind it) waits for Postgres.
 */
export class ExportChunkSink extends Writable {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private seq = 0;
  /** Bytes stored so far. */
  bytes = 0;

  /**
   * @param orgId the org.
   * @param exportId the export file the pieces belong to.
   * @param chunkBytes the size of a piece.
   */
  constructor(
    private readonly orgId: number,
    private readonly exportId: number,
    private readonly chunkBytes = EXPORT_CHUNK_BYTES,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.chunkBytes) return callback();
    this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush().then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    if (!this.pendingBytes) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await appendExportChunk(this.orgId, this.exportId, this.seq++, data);
    this.bytes += data.length;
  }
}
