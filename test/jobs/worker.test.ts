import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { getQueue } from '../../src/jobs/queues.js';
import { sendMailTask } from '../../src/jobs/tasks/SendMailTask.js';
import { purgeExpiredTask } from '../../src/jobs/tasks/PurgeExpiredTask.js';
import { buildUser } from '../support/factories.js';
import { startWorkerProcess } from '../support/workerProcess.js';

describe('worker process', () => {
  it('registers the job schedulers, runs queued jobs, and exits cleanly on SIGTERM', async () => {
    const to = `worker-${Date.now()}@example.org`;
    await sendMailTask.schedule({ to, subject: 'Hello', text: 'Body' });
    const worker = startWorkerProcess({ DISABLE_SCHEDULES: 'false' });
    await worker.waitFor('job schedulers registered');
    const schedulers = await getQueue('default').getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('purge-expired');
    await worker.waitFor('job completed');
    expect(await db().outboxMail.count({ where: { to } })).toBe(1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});

describe('SendMailTask', () => {
  it('refuses a bad payload before any work', async () => {
    await expect(sendMailTask.schedule({ to: 'not-an-address', subject: 'x', text: 'y' })).rejects.toThrow();
    await expect(sendMailTask.run({ to: 'a@example.org' })).rejects.toThrow();
  });
});

describe('PurgeExpiredTask', () => {
  it('deletes used and expired reset tokens and keeps live ones', async () => {
    const user = await buildUser(null);
    const hour = 3600_000;
    await db().passwordReset.createMany({
      data: [
        { userId: user.id, tokenHash: `live-${user.id}-`.padEnd(64, 'x'), expiresAt: new Date(Date.now() + hour) },
        { userId: user.id, tokenHash: `old-${user.id}-`.padEnd(64, 'x'), expiresAt: new Date(Date.now() - hour) },
        { userId: user.id, tokenHash: `used-${user.id}-`.padEnd(64, 'x'), expiresAt: new Date(Date.now() + hour), usedAt: new Date() },
      ],
    });
    await purgeExpiredTask.run({});
    const left = await db().passwordReset.findMany({ where: { userId: user.id } });
    expect(left.map((r) => r.tokenHash.split('-').slice(0, 2).join('-'))).toEqual([`live-${user.id}`]);
  });
});
