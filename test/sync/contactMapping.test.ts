import { describe, expect, it } from 'vitest';
import { ContactSchema } from '../../src/rapidpro/client/index.js';
import { mapContact, type TrackedGroups } from '../../src/sync/contactMapping.js';

const tracked: TrackedGroups = {
  regions: new Map([
    ['g-north', { id: 1, name: 'North' }],
    ['g-kigali', { id: 2, name: 'Kigali' }],
  ]),
  reporterGroups: new Map([['g-teachers', 10], ['g-north', 11]]),
};

function remote(overrides: Record<string, unknown> = {}) {
  return ContactSchema.parse({
    uuid: 'c-1', name: 'Amina', status: 'active', language: 'kin', urns: ['tel:+250788123456'],
    groups: [{ uuid: 'g-north', name: 'North' }, { uuid: 'g-kigali', name: 'Kigali' }, { uuid: 'g-teachers', name: 'Teachers' }],
    fields: { age: 34, district: '' }, created_on: '2024-01-01T00:00:00.000Z', modified_on: '2024-02-01T00:00:00.000Z',
    ...overrides,
  });
}

describe('mapping a RapidPro contact (spec §8.5.1, decision D3, §24.29)', () => {
  it('takes the alphabetically first tracked region and every tracked reporter group', () => {
    const mapped = mapContact(remote(), tracked)!;
    expect(mapped).toMatchObject({ regionId: 2, reporterGroupIds: [11, 10], urn: 'tel:+250788123456', isActive: true, failure: null });
    expect(mapped.fields).toEqual({ age: '34', district: null });
  });

  it('keeps a blocked contact, inactive', () => {
    expect(mapContact(remote({ status: 'blocked' }), tracked)).toMatchObject({ status: 'blocked', isActive: false, regionId: 2 });
  });

  it('keeps a contact whose groups are only reporter groups without a region, inactive', () => {
    const mapped = mapContact(remote({ groups: [{ uuid: 'g-teachers', name: 'Teachers' }] }), tracked)!;
    expect(mapped).toMatchObject({ regionId: null, reporterGroupIds: [10], isActive: false, failure: null });
  });

  it('keeps a contact that left every tracked group without a region, inactive', () => {
    expect(mapContact(remote({ groups: [] }), tracked)).toMatchObject({ regionId: null, isActive: false });
  });

  it('fails a contact whose URNs TracPro does not support, and skips one without URNs', () => {
    expect(mapContact(remote({ urns: ['whatsapp:250788123456'] }), tracked)).toMatchObject({ failure: 'no-supported-urn', isActive: false });
    expect(mapContact(remote({ urns: [] }), tracked)).toBeNull();
    expect(mapContact(remote({ urns: ['mailto:a@b.org', 'twitter:amina'] }), tracked)?.urn).toBe('twitter:amina');
  });
});
