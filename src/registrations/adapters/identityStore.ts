import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { orgDb } from '../../tenancy/orgDb.js';
import { eachSettled, type HttpClient } from './httpClient.js';
import { IdentitySchema, OptoutSchema, type Identity, type IdentityStore, type Optout, type OptoutFilter } from './types.js';

const AddressPageSchema = z.object({ results: z.array(z.object({ address: z.string() })).default([]) });

/** The default msisdn kept in local identity details (`addresses.msisdn`), else the first one. */
function defaultMsisdn(details: Record<string, unknown>): string | null {
  const addresses = (details.addresses as { msisdn?: Record<string, { default?: boolean }> } | undefined)?.msisdn ?? {};
  const entries = Object.entries(addresses);
  return (entries.find(([, v]) => v?.default) ?? entries[0])?.[0] ?? null;
}

/** The Identity Store backed by this org's `identities` table (the default). */
export class LocalIdentityStore implements IdentityStore {
  constructor(private readonly orgId: number) {}

  async getIdentity(id: string): Promise<Identity | null> {
    return (await this.getIdentities([id])).get(id) ?? null;
  }

  async getIdentities(ids: string[]): Promise<Map<string, Identity | null>> {
    const rows = await orgDb(this.orgId).identity.findMany({ where: { id: { in: ids } } });
    const found = new Map(rows.map((r) => [r.id, { id: r.id, details: r.details as Record<string, unknown>, communicate_through: r.communicateThrough }]));
    return new Map(ids.map((id) => [id, found.get(id) ?? null]));
  }

  async getDefaultAddress(id: string): Promise<string | null> {
    return (await this.getDefaultAddresses([id])).get(id) ?? null;
  }

  async getDefaultAddresses(ids: string[]): Promise<Map<string, string | null>> {
    const rows = await orgDb(this.orgId).identity.findMany({ where: { id: { in: ids } }, select: { id: true, details: true } });
    const found = new Map(rows.map((r) => [r.id, defaultMsisdn(r.details as Record<string, unknown>)]));
    return new Map(ids.map((id) => [id, found.get(id) ?? null]));
  }

  async createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity> {
    const row = await orgDb(this.orgId).identity.create({ data: { id: randomUUID(), orgId: this.orgId, details: details as object, communicateThrough: communicateThrough ?? null } });
    return { id: row.id, details, communicate_through: row.communicateThrough };
  }

  async updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity> {
    await orgDb(this.orgId).identity.updateMany({ where: { id }, data: { details: details as object } });
    return { id, details };
  }

  async searchOptouts(filter: OptoutFilter): Promise<Optout[]> {
    const rows = await orgDb(this.orgId).optoutEvent.findMany({
      where: {
        ...(filter.reason !== undefined ? { reason: filter.reason } : {}), ...(filter.requestSource !== undefined ? { requestSource: filter.requestSource } : {}),
        receivedAt: { ...(filter.createdAfter ? { gt: filter.createdAfter } : {}), ...(filter.createdBefore ? { lte: filter.createdBefore } : {}) },
      },
      orderBy: { receivedAt: 'asc' },
    });
    return rows.map((r) => ({ identity: r.identityId, reason: r.reason, request_source: r.requestSource, created_at: r.receivedAt.toISOString() }));
  }

  async createOptout(): Promise<void> {
    // Locally the OptoutEvent table is the system of record; the change applier records the event itself.
  }
}

/** The Identity Store over HTTP (Praekelt seed-identity-store API). */
export class HttpIdentityStore implements IdentityStore {
  constructor(private readonly http: HttpClient) {}

  getIdentity(id: string): Promise<Identity | null> {
    return this.http.request('GET', `identities/${encodeURIComponent(id)}/`, IdentitySchema, undefined, true);
  }

  async getIdentities(ids: string[]): Promise<Map<string, Identity | null>> {
    const identities = new Map<string, Identity | null>();
    await eachSettled(ids, async (id) => identities.set(id, await this.getIdentity(id)));
    return identities;
  }

  async getDefaultAddress(id: string, type: 'msisdn'): Promise<string | null> {
    const page = await this.http.request('GET', `identities/${encodeURIComponent(id)}/addresses/${type}?default=True`, AddressPageSchema, undefined, true);
    return page?.results[0]?.address ?? null;
  }

  async getDefaultAddresses(ids: string[], type: 'msisdn'): Promise<Map<string, string | null>> {
    const addresses = new Map<string, string | null>();
    await eachSettled(ids, async (id) => addresses.set(id, await this.getDefaultAddress(id, type)));
    return addresses;
  }

  async createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity> {
    return (await this.http.request('POST', 'identities/', IdentitySchema, { details, communicate_through: communicateThrough ?? null }))!;
  }

  async updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity> {
    return (await this.http.request('PATCH', `identities/${encodeURIComponent(id)}/`, IdentitySchema, { details }))!;
  }

  async searchOptouts(filter: OptoutFilter): Promise<Optout[]> {
    const query = new URLSearchParams();
    if (filter.reason !== undefined) query.set('reason', filter.reason);
    if (filter.requestSource !== undefined) query.set('request_source', filter.requestSource);
    if (filter.createdAfter) query.set('created_at__gt', filter.createdAfter.toISOString());
    if (filter.createdBefore) query.set('created_at__lte', filter.createdBefore.toISOString());
    return this.http.pages(`optouts/search/?${query}`, OptoutSchema);
  }

  async createOptout(o: { identity: string; reason: string; addressType: 'msisdn'; address?: string; requestSource: string; optoutType: 'stop' }): Promise<void> {
    await this.http.request('POST', 'optout/', null, {
      identity: o.identity, reason: o.reason, address_type: o.addressType, address: o.address ?? null, request_source: o.requestSource, optout_type: o.optoutType,
    });
  }
}
