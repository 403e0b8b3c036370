import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RapidProClient } from '../../../src/rapidpro/client/index.js';
import type { RunningSimulator } from '../../../src/rapidpro/simulator/index.js';
import { startTestSimulator, testClient } from '../support.js';

describe('run archives', () => {
  let sim: RunningSimulator;
  afterEach(async () => sim?.close());

  it('archives and live runs together give every run exactly once', async () => {
    sim = await startTestSimulator({ contacts: 150, weeks: 20, retentionDays: 40 });
    const client = testClient(sim);
    const archives = await client.archives({ type: 'run' }).all();
    expect(archives.some((a) => a.period === 'monthly')).toBe(true);
    expect(archives.some((a) => a.period === 'daily')).toBe(true);
    const seen: string[] = [];
    for (const archive of archives) {
      const runs = await client.archiveRuns(archive);
      expect(runs).toHaveLength(archive.recordCount);
      seen.push(...runs.map((r) => r.uuid));
    }
    const archived = seen.length;
    for await (const run of client.runs({ reverse: true, paths: false })) seen.push(run.uuid);
    expect(archived).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(archived);
    expect(new Set(seen).size).toBe(seen.length);
    const state = sim.state().runs;
    const total = Array.from({ length: state.count }, (_, r) => r).filter((r) => !state.deleted[r]).length;
    expect(seen.length).toBe(total);
  });
});

describe('a broken archive file', () => {
  let server: Server;
  afterEach(async () => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  /** Serves one body at /archive and returns a client pointed at nothing else. */
  async function serve(body: Buffer): Promise<string> {
    server = createServer((_, res) => res.end(body));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/archive`;
  }
  const client = () => new RapidProClient({ baseUrl: 'http://127.0.0.1:9', token: 'unused', budget: null });
  const read = async (url: string) => {
    const runs: unknown[] = [];
    for await (const run of client().archiveRunStream(url)) runs.push(run);
    return runs;
  };

  it('that is not gzip is refused with a clear error', async () => {
    const url = await serve(Buffer.from('<html>login</html>'));
    await expect(read(url)).rejects.toThrow(/not a readable gzip file/);
  });

  it('with a line that is not JSON is refused, naming the line', async () => {
    const url = await serve(gzipSync('\nnot json\n'));
    await expect(read(url)).rejects.toThrow(/line 2 of the archive is not JSON/);
  });
});
