import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { ORG_OWNED_MODELS, orgDb } from '../../src/tenancy/orgDb.js';
import { buildOrg, buildUser } from '../support/factories.js';

describe('orgDb', () => {
  it('lists every model that has an orgId column', () => {
    const schema = readFileSync('prisma/schema.prisma', 'utf8');
    const models = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].filter(([, , body]) => /^\s+orgId\s/m.test(body!)).map(([, name]) => name);
    expect(models.sort()).toEqual([...ORG_OWNED_MODELS].sort());
  });

  it('reads, counts, updates and deletes only its own org’s rows', async () => {
    const [orgA, orgB] = [await buildOrg(), await buildOrg()];
    const userA = await buildUser(orgA, { role: 'viewer' });
    const userB = await buildUser(orgB, { role: 'viewer' });
    const scoped = orgDb(orgA.id);
    expect((await scoped.orgMembership.findMany()).map((m) => m.userId)).toEqual([userA.id]);
    expect(await scoped.orgMembership.count()).toBe(1);
    expect(await scoped.orgMembership.findFirst({ where: { userId: userB.id } })).toBeNull();
    expect((await scoped.orgMembership.updateMany({ data: { role: 'admin' } })).count).toBe(1);
    expect((await scoped.orgMembership.deleteMany({ where: { userId: userB.id } })).count).toBe(0);
    expect((await db().orgMembership.findFirstOrThrow({ where: { userId: userB.id } })).role).toBe('viewer');
  });

  it('stamps its org on created rows, whatever the caller passes', async () => {
    const [orgA, orgB] = [await buildOrg(), await buildOrg()];
    const user = await buildUser(null);
    const created = await orgDb(orgA.id).orgMembership.create({ data: { orgId: orgB.id, userId: user.id, role: 'viewer' } });
    expect(created.orgId).toBe(orgA.id);
  });
});
