import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { getQueue } from '../../src/jobs/queues.js';
import { saveConfig } from '../../src/registrations/config.js';
import { startFakeSeedServices } from '../../src/registrations/fakes/seedServices.js';
import { readCounters } from '../../src/registrations/metrics/applier.js';
import { expectedCounters } from '../../src/registrations/metrics/reconciler.js';
import { orgDb } from '../../src/tenancy/orgDb.js';
import { freePort } from '../support/browser.js';
import { TestAgent } from '../support/http.js';
import { api, buildSource, MOTHER, prebirthData } from './support.js';

const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((child) => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(null);
    child.once('exit', resolve);
    child.kill('SIGTERM');
  })));
});

function start(role: 'web' | 'worker', port = 0): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', role], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', DISABLE_SCHEDULES: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function startWeb(): Promise<TestAgent> {
  const port = await freePort();
  start('web', port);
  const agent = new TestAgent(port);
  for (let i = 0; i < 200; i++) {
    try {
      if ((await agent.get(agent.host(), '/healthz')).status === 200) return agent;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('web process did not start');
}

async function drained(orgId: number) {
  for (let i = 0; i < 600; i++) {
    const pending = await orgDb(orgId).registration.count({ where: { metricsAppliedAt: null } })
      + await orgDb(orgId).optoutEvent.count({ where: { metricsAppliedAt: null } })
      + await orgDb(orgId).registrationChange.count({ where: { metricsAppliedAt: null } });
    const counts = await getQueue('metrics').getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (!pending && !counts.waiting && !counts.active && !counts.prioritized) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('metrics did not drain');
}

describe('counters across processes (spec §8.5, decision 9)', () => {
  it('12: ten concurrent creates with three worker processes on a cold Redis give totals 1…10', async () => {
    const fake = await startFakeSeedServices();
    const { org, token } = await buildSource();
    await saveConfig(org.id, { adapters: { sinks: [{ kind: 'http', url: `${fake.url}/` }] } });
    const web = await startWeb();
    for (let i = 0; i < 3; i++) start('worker');
    const host = web.host(org.subdomain);
    const created = await Promise.all(Array.from({ length: 10 }, () => api(web, 'POST', host, '/api/v1/registrations', token, { stage: 'prebirth', motherId: MOTHER, data: prebirthData() })));
    expect(created.map((r) => r.status)).toEqual(new Array(10).fill(201));
    await drained(org.id);
    expect((await readCounters(org.id, ['registrations.created.total.last']))['registrations.created.total.last']).toBe(10);
    const totals = () => fake.state.metrics.filter((m) => 'registrations.created.total.last' in m).map((m) => m['registrations.created.total.last']!).sort((a, b) => a - b);
    await expect.poll(totals, { timeout: 15_000 }).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await fake.close();
  }, 90_000);

  it('two web processes and two workers posting to one org end with every counter equal to the database', async () => {
    const { org, token } = await buildSource();
    const { token: ivrToken } = await buildSource({ org, slug: 'ivr', authority: 'hw_limited' });
    await orgDb(org.id).identity.create({ data: { id: 'nurse000-6a07-4377-a4f6-c0485ccba234', orgId: org.id, details: { state: 'Cross River', role: 'CHEW' } } });
    const webs = [await startWeb(), await startWeb()];
    start('worker');
    start('worker');
    const languages = ['eng_NG', 'hau_NG', 'ibo_NG', 'klingon'];
    const receivers = ['mother_only', 'friend_only', 'family_only', 'mother_father'];
    const posts = Array.from({ length: 240 }, (_, i) => {
      const web = webs[i % 2]!;
      const operator = `op${String(i % 17).padStart(6, '0')}-6a07-4377-a4f6-c0485ccba234`;
      const receiver = receivers[i % 4]!;
      const data = prebirthData({ language: languages[i % 4], msg_receiver: receiver, operator_id: i % 5 === 0 ? 'nurse000-6a07-4377-a4f6-c0485ccba234' : operator, receiver_id: receiver === 'mother_only' ? MOTHER : undefined });
      return () => api(web, 'POST', web.host(org.subdomain), '/api/v1/registrations', i % 3 ? token : ivrToken, { stage: i % 7 ? 'prebirth' : 'postbirth', motherId: MOTHER, data });
    });
    const changes = Array.from({ length: 20 }, (_, i) => () => api(webs[i % 2]!, 'POST', webs[0]!.host(org.subdomain), '/api/v1/changes', token, { motherId: MOTHER, action: i % 2 ? 'change_language' : 'change_baby', data: {} }));
    const optouts = Array.from({ length: 10 }, (_, i) => () => api(webs[i % 2]!, 'POST', webs[0]!.host(org.subdomain), '/api/v1/hooks/optouts', token, { identity: `ident${i}00-9d89-4aa6-99ff-13c225365b5d`, optout_reason: 'other', optout_source: 'sms' }));
    const all = [...posts, ...changes, ...optouts];
    const statuses: number[] = [];
    for (let i = 0; i < all.length; i += 20) statuses.push(...(await Promise.all(all.slice(i, i + 20).map((send) => send()))).map((r) => r.status));
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    await drained(org.id);
    const expected = await expectedCounters(org.id);
    expect(expected['registrations.created.total.last']).toBe(240);
    expect(expected['registrations.state.cross_river.total.last']).toBe(48);
    expect(await readCounters(org.id, Object.keys(expected))).toEqual(expected);
  }, 120_000);
});
