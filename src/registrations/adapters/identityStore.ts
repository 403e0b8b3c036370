import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { orgDb } from '../../tenancy/orgDb.js';
import type { HttpClient } from './httpClient.js';
import { IdentitySchema, type Identity, type IdentityStore } from './types.js';

const AddressPageSchema = z.object({ results: z.array(z.object({ address: z.string() })).default([]) });

/** The Identity Store backed by this org's `identities` table (the default). */
export class LocalIdentityStore implements IdentityStore {
  constructor(private readonly orgId: number) {}

  async getIdentity(id: string): Promise<Identity | null> {
    const row = await orgDb(this.orgId).identity.findFirst({ where: { id } });
    return row ? { id: row.id, details: row.details as Record<string, unknown>, communicate_through: row.communicateThrough } : null;
  }

  async getDefaultAddress(id: string): Promise<string | null> {
    const identity = await this.getIdentity(id);
    const addresses = (identity?.details.addresses as { msisdn?: Record<string, { default?: boolean }> } | undefined)?.msisdn ?? {};
    const entries = Object.entries(addresses);
    return (entries.find(([, v]) => v?.default) ?? entries[0])?.[0] ?? null;
  }

  async createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity> {
    const row = await orgDb(this.orgId).identity.create({ data: { id: randomUUID(), orgId: this.orgId, details: details as object, communicateThrough: communicateThrough ?? null } });
    return { id: row.id, details, communicate_through: row.communicateThrough };
  }

  async updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity> {
    await orgDb(this.orgId).identity.updateMany({ where: { id }, data: { details: details as object } });
    return { id, details };
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

  async getDefaultAddress(id: string, type: 'msisdn'): Promise<string | null> {
    const page = await this.http.request('GET', `identities/${encodeURIComponent(id)}/addresses/${type}?default=True`, AddressPageSchema, undefined, true);
    return page?.results[0]?.address ?? null;
  }

  async createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity> {
    return (await this.http.request('POST', 'identities/', IdentitySchema, { details, communicate_through: communicateThrough ?? null }))!;
  }

  async updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity> {
    return (await this.http.request('PATCH', `identities/${encodeURIComponent(id)}/`, IdentitySchema, { details }))!;
  }

  async createOptout(o: { identity: string; reason: string; addressType: 'msisdn'; address?: string; requestSource: string; optoutType: 'stop' }): Promise<void> {
    await this.http.request('POST', 'optout/', null, {
      identity: o.identity, reason: o.reason, address_type: o.addressType, address: o.address ?? null, request_source: o.requestSource, optout_type: o.optoutType,
    });
  }
}
