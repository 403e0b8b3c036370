import { describe, expect, it } from 'vitest';
import { parseHost } from '../../src/tenancy/hosts.js';

describe('parseHost (spec §3.1)', () => {
  const base = 'tracpro.example';
  it.each([
    ['unicef.tracpro.example', { kind: 'org', subdomain: 'unicef' }],
    ['www.unicef.tracpro.example', { kind: 'org', subdomain: 'unicef' }],
    ['UNICEF.tracpro.example:8000', { kind: 'org', subdomain: 'unicef' }],
    ['tracpro.example', { kind: 'base' }],
    ['www.tracpro.example', { kind: 'base' }],
    ['tracpro.example:3000', { kind: 'base' }],
    ['10.0.0.5', { kind: 'foreign' }],
    ['evil.example', { kind: 'foreign' }],
  ])('%s', (host, expected) => {
    expect(parseHost(host, base)).toEqual(expected);
  });
});
