import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/rapidpro/client/schemas.js';

const FIXTURES = '/work/shared/fixtures/rapidpro-v2-samples';
const rows = (name: string): unknown[] => (JSON.parse(readFileSync(`${FIXTURES}/${name}.json`, 'utf8')) as { results: unknown[] }).results;

describe('zod parsing of real RapidPro samples', () => {
  it('parses every sample into normalised rows', () => {
    const contacts = rows('contacts').map((r) => S.ContactSchema.parse(r));
    expect(contacts[0]).toMatchObject({ status: 'active', fields: { nickname: 'Jo', age: '34' }, createdOn: { iso: '2015-11-11T08:30:24.922024Z' } });
    expect(contacts[2]).toMatchObject({ name: null, status: 'blocked', deleted: false });
    const runs = rows('runs').map((r) => S.RunSchema.parse(r));
    expect(runs[0]!.values.color).toMatchObject({ value: 'blue', category: 'Blue', input: 'it is blue' });
    expect(runs[1]).toMatchObject({ start: null, exitType: 'expired' });
    expect(rows('flows').map((r) => S.FlowSchema.parse(r))[0]).toMatchObject({ modifiedOn: null, runs: { waiting: 0, failed: 0 } });
    expect(rows('messages').map((r) => S.MessageSchema.parse(r))[1]).toMatchObject({ visibility: 'archived', direction: 'in' });
    expect(rows('broadcasts').map((r) => S.BroadcastSchema.parse(r))[0]).toMatchObject({ text: { base: 'Hello' } });
    expect(rows('flow_starts').map((r) => S.FlowStartSchema.parse(r))[1]).toMatchObject({ status: 'completed' });
    expect(rows('fields').map((r) => S.FieldSchema.parse(r))).toEqual([{ key: 'chat_name', name: 'Chat Name', type: 'text' }, { key: 'registered', name: 'Registered On', type: 'datetime' }]);
    expect(rows('groups').map((r) => S.GroupSchema.parse(r))[1]).toMatchObject({ query: 'issupport = yes', system: false });
    expect(rows('boundaries').map((r) => S.BoundarySchema.parse(r))[1]).toMatchObject({ aliases: ['Buja'], parent: { osm_id: 'R195269' } });
    expect(rows('archives').map((r) => S.ArchiveSchema.parse(r))[0]).toMatchObject({ type: 'run', period: 'monthly', recordCount: 1 });
    expect(S.WorkspaceSchema.parse(JSON.parse(readFileSync(`${FIXTURES}/org.json`, 'utf8')))).toMatchObject({ timezone: 'Africa/Kigali', languages: ['eng', 'fre'] });
    expect(S.PageSchema.parse(JSON.parse(readFileSync(`${FIXTURES}/empty.json`, 'utf8'))).results).toEqual([]);
  });

  it('reads legacy field vocabularies', () => {
    expect(S.FieldSchema.parse({ key: 'age', label: 'Age', value_type: 'numeric' })).toEqual({ key: 'age', name: 'Age', type: 'number' });
  });
});
