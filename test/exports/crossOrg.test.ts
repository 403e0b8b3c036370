import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { appendExportChunk, clearExportChunks, exportChunks } from '../../src/db/exports.js';
import { participationByGroup, participationByRegion } from '../../src/db/participationReads.js';
import { participationCsvBatches } from '../../src/db/participationRows.js';
import { countResponses, responseCsvBatches, responsePage } from '../../src/db/responseRows.js';
import { exportTask } from '../../src/jobs/tasks/ExportTask.js';
import { buildDashboardOrg, buildDayOfRuns } from './support.js';

async function all(batches: AsyncGenerator<unknown[][]>) {
  const rows: unknown[][] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

describe('raw reads of the dashboard are org-scoped', () => {
  it('read nothing of another org, given its poll run, region and group ids', async () => {
    const s = await buildDashboardOrg();
    const run = await buildDayOfRuns(s);
    const other = await buildDashboardOrg();
    const regionIds = [s.north.id, s.northOne.id, s.south.id];
    const selection = { pollRunId: run.id, regionIds, fieldFilters: [], includeSuperseded: true };
    // The owner reads its rows...
    expect(await countResponses(s.org.id, selection)).toBe(4);
    expect((await all(responseCsvBatches(s.org.id, selection, [s.questions.pupils.id], 'UTC'))).length).toBe(4);
    // ...another org id reads none of them.
    expect(await countResponses(other.org.id, selection)).toBe(0);
    expect(await responsePage(other.org.id, selection, { offset: 0, limit: 25 })).toEqual([]);
    expect(await all(responseCsvBatches(other.org.id, selection, [s.questions.pupils.id], 'UTC'))).toEqual([]);
    expect([...(await participationByGroup(other.org.id, run.id, regionIds, [s.teachers.id])).values()].every((c) => c.E + c.P + c.C === 0)).toBe(true);
    expect([...(await participationByRegion(other.org.id, run.id, regionIds)).values()].every((c) => c.E + c.P + c.C === 0)).toBe(true);
    expect(await all(participationCsvBatches(other.org.id, { regionIds, terms: [], pollRunIds: [run.id] }))).toEqual([]);
    expect((await all(participationCsvBatches(s.org.id, { regionIds, terms: [], pollRunIds: [run.id] }))).length).toBe(4);

    const file = await db().exportFile.create({ data: { orgId: s.org.id, kind: 'participation', filename: 'p.csv', expiresAt: new Date(Date.now() + 60_000) } });
    await appendExportChunk(s.org.id, file.id, 0, Buffer.from('a,b\r\n'));
    const read = async (orgId: number) => {
      const parts: Buffer[] = [];
      for await (const chunk of exportChunks(orgId, file.id)) parts.push(chunk);
      return Buffer.concat(parts).toString();
    };
    expect(await read(other.org.id)).toBe('');
    await clearExportChunks(other.org.id, file.id);
    expect(await read(s.org.id)).toBe('a,b\r\n');
    // A job for another org's file does nothing.
    expect(await exportTask.perform({ orgId: other.org.id, exportId: file.id })).toBe('skipped');
  });

  it('marks an export whose parameters no longer make sense failed, on its last attempt', async () => {
    const s = await buildDashboardOrg();
    const file = await db().exportFile.create({ data: { orgId: s.org.id, kind: 'pollrun-responses', params: { pollRunId: 'x' }, filename: 'r.csv', expiresAt: new Date(Date.now() + 60_000) } });
    expect(await exportTask.perform({ orgId: s.org.id, exportId: file.id })).toBe('failed');
    expect(await db().exportFile.findUniqueOrThrow({ where: { id: file.id } })).toMatchObject({ status: 'failed', error: 'The export could not be built.' });
  });
});
