import { describe, expect, it } from 'vitest';
import { db } from '../../src/db/client.js';
import { tracpro, type CliResult } from '../support/cli.js';
import { buildOrg } from '../support/factories.js';

function expectOneLineFailure(result: CliResult, pattern: RegExp) {
  expect(result.code).not.toBe(0);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('tracpro CLI', () => {
  it('migrate says the database is up to date', async () => {
    const result = await tracpro('migrate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('up to date');
  });

  it('org:create creates an org; org:list lists it', async () => {
    const subdomain = `cli-${Date.now()}`;
    const created = await tracpro('org:create', '--name', 'CLI Org', '--subdomain', subdomain, '--api-url', 'https://rapidpro.io', '--api-token', 'tok123', '--timezone', 'Africa/Kigali', '--languages', 'fr,en');
    expect(created.code, created.stderr).toBe(0);
    const org = await db().org.findUniqueOrThrow({ where: { subdomain } });
    expect(org).toMatchObject({ timezone: 'Africa/Kigali', languages: ['fr', 'en'], defaultLanguage: 'fr' });
    expect((await tracpro('org:list')).stdout).toContain(subdomain);
  });

  it('user:create makes a superuser, or a member of an org', async () => {
    const org = await buildOrg();
    const email = `cli-${Date.now()}@example.org`;
    const result = await tracpro('user:create', '--email', email, '--password', 'long-secret-77', '--org', org.subdomain, '--role', 'supervisor');
    expect(result.code, result.stderr).toBe(0);
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.memberships).toMatchObject([{ orgId: org.id, role: 'supervisor' }]);
  });

  it.concurrent.each([
    [['org:create', '--name', 'X'], /--subdomain: is required/],
    [['org:create', '--name', 'X', '--subdomain', 'Bad!', '--api-url', 'https://r.io', '--api-token', 't'], /--subdomain: Use lower-case/],
    [['org:create', '--name', 'X', '--subdomain', 'okay-sub', '--api-url', 'nope', '--api-token', 't'], /--api-url:/],
    [['org:create', '--name', 'X', '--subdomain', 'okay-sub', '--api-url', 'https://r.io', '--api-token', 't', '--timezone', 'Mars/Base'], /--timezone: Choose a time zone/],
    [['org:create', '--name', 'X', '--subdomain', 'okay-sub', '--api-url', 'https://r.io', '--api-token', 't', '--languages', 'xx'], /--languages/],
    [['org:create', '--bogus'], /Unknown option '--bogus'/],
    [['user:create', '--email', 'not-an-email', '--password', 'long-secret-1'], /--email: must be an e-mail address/],
    [['user:create', '--email', 'a@example.org'], /--password: is required/],
    [['user:create', '--email', 'a@example.org', '--password', 'short'], /--password: Use at least 8/],
    [['user:create', '--email', 'a@example.org', '--password', 'long-secret-1', '--role', 'admin'], /--role: --org and --role go together/],
    [['user:create', '--email', 'a@example.org', '--password', 'long-secret-1', '--org', 'no-such-org', '--role', 'admin'], /--org: no organization/],
    [['user:create', '--email', 'a@example.org', '--password', 'long-secret-1', '--org', 'x', '--role', 'king'], /--role: must be admin, supervisor or viewer/],
    [['org:list', '--all'], /Unknown option '--all'/],
    [['migrate', '--force'], /Unknown option '--force'/],
    [['no-such-command'], /Unknown command "no-such-command"/],
  ])('refuses %j with one line and changes nothing', async (args, pattern) => {
    expectOneLineFailure(await tracpro(...args), pattern);
    expect(await db().org.findMany({ where: { subdomain: { in: ['okay-sub', 'bad!'] } } })).toEqual([]);
    expect(await db().user.findUnique({ where: { email: 'a@example.org' } })).toBeNull();
  });
});
