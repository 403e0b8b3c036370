import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../src/db/client.js';
import { ExportChunkSink } from '../../src/exports/chunkSink.js';
import { pipeCsv, type CsvSource } from '../../src/exports/csvStream.js';
import { participationCsv } from '../../src/exports/participationCsv.js';
import { responsesCsv } from '../../src/exports/responsesCsv.js';
import { getQueue } from '../../src/jobs/queues.js';
import { exportTask } from '../../src/jobs/tasks/ExportTask.js';
import { purgeExportsTask } from '../../src/jobs/tasks/PurgeExportsTask.js';
import { buildOrg } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { buildDashboardOrg, buildDayOfRuns, parseCsv, signedIn } from './support.js';

// Exports of more than two rows become jobs in this file (env() is read once, after this runs).
vi.hoisted(() => {
  process.env.EXPORT_INLINE_ROW_LIMIT = '2';
});

let app: TestServer;
beforeAll(async () => {
  app = await startTestServer();
});
afterAll(() => app.close());

/** The CSV a request would stream for the same parameters, in memory. */
async function inline(source: CsvSource | null): Promise<string> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      parts.push(chunk);
      callback();
    },
  });
  await pipeCsv(source!, sink);
  return Buffer.concat(parts).toString('utf8');
}

/** Takes the export's job off the queue (asserting it was queued once) and runs it here. */
async function runQueuedJob(orgId: number, exportId: number) {
  const job = await getQueue('default').getJob(exportTask.jobId(exportId));
  expect(job?.data).toEqual({ orgId, exportId });
  await job!.remove();
  return exportTask.perform({ orgId, exportId });
}

const exportId = (location: string | undefined) => Number(/^\/exports\/(\d+)$/.exec(location ?? '')?.[1]);

describe('exports above the row limit', () => {
  it('run as a job that stores the same CSV in Postgres, with progress, behind an org- and region-scoped link', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');
    const asked = await admin.agent.get(admin.host, `/pollruns/${run.id}/responses.csv`);
    expect(asked.status).toBe(303);
    const id = exportId(asked.location);
    const queued = await db().exportFile.findUniqueOrThrow({ where: { id } });
    expect(queued).toMatchObject({ orgId: s.org.id, kind: 'pollrun-responses', status: 'queued', totalRows: 3, requestedById: admin.user.id, filename: 'responses.csv' });
    expect(queued.expiresAt.getTime() - queued.createdAt.getTime()).toBe(24 * 3600_000);
    const waiting = await admin.agent.get(admin.host, `/exports/${id}`);
    expect(waiting.status).toBe(200);
    expect(waiting.body).toContain('data-export-progress="/exports/');
    expect(waiting.body).toContain('/static/js/export-progress.js');
    expect((await admin.agent.get(admin.host, `/exports/${id}/download`)).location).toBe(`/exports/${id}`);

    expect(await runQueuedJob(s.org.id, id)).toBe('done');
    const built = await db().exportFile.findUniqueOrThrow({ where: { id }, include: { chunks: true } });
    expect(built).toMatchObject({ status: 'done', rows: 4, totalRows: 4 });
    expect(built.chunks.length).toBeGreaterThan(0);
    expect(Number(built.bytes)).toBe(built.chunks.reduce((n, c) => n + c.data.length, 0));
    const progress = JSON.parse((await admin.agent.get(admin.host, `/exports/${id}/progress.json`)).body);
    expect(progress).toMatchObject({ status: 'done', done: true, percent: 100, rows: 4, downloadUrl: `/exports/${id}/download` });

    const download = await admin.agent.get(admin.host, `/exports/${id}/download`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers['content-disposition']).toBe('attachment; filename="responses.csv"');
    const expected = await inline(await responsesCsv(s.org.id, { pollRunId: run.id, regionIds: [s.north.id, s.northOne.id, s.south.id], groupId: null, contact: {} }));
    expect(download.body).toBe(expected);
    expect(parseCsv(download.body)).toHaveLength(5);
    // Run again (a retried job): the file is not built twice.
    expect(await exportTask.perform({ orgId: s.org.id, exportId: id })).toBe('skipped');
    expect(await exportTask.perform({ orgId: s.org.id, exportId: 999_999_999 })).toBe('skipped');

    // Other orgs, supervisors who do not see every region of the file, and the signed-out get nothing.
    const outsider = await signedIn(app, await buildOrg(), 'admin');
    const supervisor = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    for (const path of [`/exports/${id}`, `/exports/${id}/progress.json`, `/exports/${id}/download`]) {
      expect((await outsider.agent.get(outsider.agent.host(s.org.subdomain), path)).status).toBe(404);
      expect((await supervisor.agent.get(supervisor.host, path)).status).toBe(404);
    }
    const anonymous = app.agent();
    expect((await anonymous.get(anonymous.host(s.org.subdomain), `/exports/${id}/download`)).location).toBe(`/login?next=%2Fexports%2F${id}%2Fdownload`);
  });

  it('lets a supervisor download the export of their region, not one of another region', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const north = await signedIn(app, s.org, 'supervisor', [s.north.id]);
    const south = await signedIn(app, s.org, 'supervisor', [s.south.id]);
    const asked = await north.agent.get(north.host, `/pollruns/${run.id}/responses.csv`);
    const id = exportId(asked.location);
    await runQueuedJob(s.org.id, id);
    const download = await north.agent.get(north.host, `/exports/${id}/download`);
    expect(parseCsv(download.body).slice(1).map((r) => r[1])).toEqual(['Amélie Uwase', 'Okafor, Chidi', 'Cat North', 'Amélie Uwase']);
    expect((await south.agent.get(south.host, `/exports/${id}/download`)).status).toBe(404);
    const admin = await signedIn(app, s.org, 'admin');
    expect((await admin.agent.get(admin.host, `/exports/${id}/download`)).status).toBe(200);
  });

  it('expire after 24 hours (410 with a message) and are purged by the scheduled job', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');
    const id = exportId((await admin.agent.get(admin.host, `/pollruns/${run.id}/responses.csv`)).location);
    const kept = exportId((await admin.agent.get(admin.host, `/pollruns/${run.id}/responses.csv`)).location);
    await runQueuedJob(s.org.id, id);
    await runQueuedJob(s.org.id, kept);
    await db().exportFile.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await admin.agent.get(admin.host, `/exports/${id}`);
    expect(page.status).toBe(410);
    expect(page.body).toContain('This export has expired');
    expect((await admin.agent.get(admin.host, `/exports/${id}/download`)).status).toBe(410);
    expect((await admin.agent.get(admin.host, `/exports/${id}/progress.json`)).status).toBe(410);
    // An expired file is never built.
    expect(await exportTask.perform({ orgId: s.org.id, exportId: id })).toBe('skipped');

    expect(purgeExportsTask.repeat).toEqual({ pattern: expect.any(String) });
    const purged = (await purgeExportsTask.perform()) as { exports: number };
    expect(purged.exports).toBeGreaterThanOrEqual(1);
    expect(await db().exportFile.count({ where: { id } })).toBe(0);
    expect(await db().exportChunk.count({ where: { exportId: id } })).toBe(0);
    expect((await admin.agent.get(admin.host, `/exports/${id}`)).status).toBe(404);
    expect((await admin.agent.get(admin.host, `/exports/${kept}/download`)).status).toBe(200);
  });

  it('build participation across polls the same way', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const admin = await signedIn(app, s.org, 'admin');
    const asked = await admin.agent.get(admin.host, '/participation.csv');
    expect(asked.status).toBe(303);
    const id = exportId(asked.location);
    expect(await runQueuedJob(s.org.id, id)).toBe('done');
    const download = await admin.agent.get(admin.host, `/exports/${id}/download`);
    expect(download.headers['content-disposition']).toBe('attachment; filename="participation.csv"');
    const expected = await inline(await participationCsv(s.org.id, { pollRunIds: [run.id], regionIds: [s.north.id, s.northOne.id, s.south.id], terms: [], language: 'en' }));
    expect(download.body).toBe(expected);
    expect(parseCsv(download.body)).toEqual([
      ['Name', 'URN', 'Region', 'Weekly Survey (2024-03-05)'],
      ['Amélie Uwase', 'tel:+250788000111', 'North', 'Complete'],
      ['Ben South', s.contacts.ben.urn!, 'South', 'None'],
      ['Cat North', s.contacts.cat.urn!, 'North', 'Complete'],
      ['Okafor, Chidi', s.contacts.chidi.urn!, 'North One', 'Partial'],
    ]);
    // A small search streams at once.
    const small = await admin.agent.get(admin.host, '/participation.csv?search=north');
    expect(small.status).toBe(200);
    expect(parseCsv(small.body).slice(1).map((r) => r[0])).toEqual(['Cat North']);
  });
});

describe('the chunk sink', () => {
  it('stores a file in pieces of the chunk size, in order', async () => {
    const s = await buildDashboardOrg();
    const file = await db().exportFile.create({ data: { orgId: s.org.id, kind: 'participation', filename: 'x.csv', expiresAt: new Date(Date.now() + 3600_000) } });
    const rows = Array.from({ length: 300 }, (_, i) => [`row ${i}`, 'é'.repeat(i % 7)]);
    const source: CsvSource = { header: ['a', 'b'], batches: (async function* () { yield rows.slice(0, 150); yield rows.slice(150); })() };
    const sink = new ExportChunkSink(s.org.id, file.id, 256);
    expect(await pipeCsv(source, sink)).toEqual({ rows: 300, aborted: false });
    const chunks = await db().exportChunk.findMany({ where: { exportId: file.id }, orderBy: { seq: 'asc' } });
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.slice(0, -1).every((c) => c.data.length >= 256 && c.data.length < 512)).toBe(true);
    const text = Buffer.concat(chunks.map((c) => Buffer.from(c.data))).toString('utf8');
    expect(text).toBe(await inline({ header: ['a', 'b'], batches: (async function* () { yield rows; })() }));
    expect(sink.bytes).toBe(Buffer.byteLength(text));
  });
});
