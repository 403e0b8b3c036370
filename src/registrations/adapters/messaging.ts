import { createHash } from 'node:crypto';
import { insertSubscriptions } from '../../db/registrations.js';
import { orgDb } from '../../tenancy/orgDb.js';
import { eachSettled, pageOf, type HttpClient } from './httpClient.js';
import { MessagesetSchema, ScheduleSchema, SubscriptionSchema, type Messageset, type MessagingService, type Subscription, type SubscriptionFilter, type SubscriptionRequestPayload } from './types.js';

const DAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
/** Text sequences go out on Monday, Wednesday and Friday. */
const TEXT_DAYS = [1, 3, 5];

/**
 * The local messageset catalogue follows HelloMama's naming scheme, so it needs no table:
 * `{stage}.{who}.{type}.{range}[.{days}.{times}]`; the schedule id is the bit mask of its weekdays.
 * @param shortName the messageset short name.
 * @returns the messageset, or null when the name does not follow the scheme.
 */
export function localMessageset(shortName: string): Messageset | null {
  const parts = shortName.split('.');
  const type = parts[2];
  if (parts.length < 4 || (type !== 'text' && type !== 'audio')) return null;
  const days = type === 'audio' ? (parts[4] ?? '').split('_').map((d) => DAYS[d]) : TEXT_DAYS;
  if (!days.length || days.some((d) => d === undefined)) return null;
  const id = createHash('sha256').update(shortName).digest().readUInt32BE(0) & 0x7fffffff;
  return { id, short_name: shortName, default_schedule: scheduleIdFor(days as number[]), content_type: type };
}

function scheduleIdFor(days: number[]): number {
  return days.reduce((mask, d) => mask | (1 << d), 0);
}

/** The messaging service backed by this org's `subscriptions` table (no delivery). */
export class LocalMessaging implements MessagingService {
  constructor(private readonly orgId: number) {}

  async findMessagesetByShortName(shortName: string) {
    return localMessageset(shortName);
  }

  async getMessageset(id: number) {
    const row = await orgDb(this.orgId).subscription.findFirst({ where: { messagesetId: id }, select: { messagesetShortName: true } });
    return row ? localMessageset(row.messagesetShortName) : null;
  }

  async getSchedule(id: number) {
    return { id, daysOfWeek: [1, 2, 3, 4, 5, 6, 7].filter((d) => id & (1 << d)) };
  }

  async listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]> {
    const rows = await orgDb(this.orgId).subscription.findMany({
      where: {
        ...(filter.identity ? { identity: typeof filter.identity === 'string' ? filter.identity : { in: filter.identity } } : {}),
        ...(filter.active !== undefined ? { active: filter.active } : {}),
        ...(filter.completed !== undefined ? { completed: filter.completed } : {}),
        ...(filter.messagesetContains ? { messagesetShortName: { contains: filter.messagesetContains } } : {}),
      },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      id: r.id, identity: r.identity, messageset: r.messagesetId, messageset_short_name: r.messagesetShortName, next_sequence_number: r.nextSequenceNumber,
      lang: r.lang, schedule: r.scheduleId, active: r.active, completed: r.completed, metadata: r.metadata as Record<string, unknown>,
    }));
  }

  async updateSubscription(id: string, patch: { active?: boolean; lang?: string; metadata?: Record<string, unknown> }) {
    await orgDb(this.orgId).subscription.updateMany({ where: { id }, data: { ...patch, ...(patch.metadata ? { metadata: patch.metadata as object } : {}) } });
  }

  async submitSubscriptionRequests(requests: SubscriptionRequestPayload[]) {
    // One insert for the batch: it stores all of them or fails as a whole.
    await insertSubscriptions(this.orgId, requests.map((request) => ({
      identity: request.identity, messagesetId: request.messageset, messagesetShortName: request.messageset_short_name ?? String(request.messageset),
      nextSequenceNumber: request.next_sequence_number, lang: request.lang, scheduleId: request.schedule, metadata: request.metadata as object,
    })));
    return requests.map(() => null);
  }
}

/** The messaging service over HTTP (Praekelt seed-stage-based-messaging API); posts subscriptions directly (decision 7). */
export class HttpMessaging implements MessagingService {
  constructor(private readonly http: HttpClient) {}

  async findMessagesetByShortName(shortName: string) {
    const page = await this.http.request('GET', `messageset/?short_name=${encodeURIComponent(shortName)}`, pageOf(MessagesetSchema));
    return page?.results[0] ?? null;
  }

  getMessageset(id: number) {
    return this.http.request('GET', `messageset/${id}/`, MessagesetSchema, undefined, true);
  }

  async getSchedule(id: number) {
    const schedule = (await this.http.request('GET', `schedule/${id}/`, ScheduleSchema))!;
    return { id: schedule.id, daysOfWeek: schedule.day_of_week.split(',').map((d) => Number(d.trim())).filter((d) => d >= 1 && d <= 7) };
  }

  async listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]> {
    // The API filters one identity per request.
    if (Array.isArray(filter.identity)) return (await Promise.all(filter.identity.map((identity) => this.listSubscriptions({ ...filter, identity })))).flat();
    const query = new URLSearchParams();
    if (filter.identity) query.set('identity', filter.identity);
    if (filter.active !== undefined) query.set('active', filter.active ? 'True' : 'False');
    if (filter.completed !== undefined) query.set('completed', filter.completed ? 'True' : 'False');
    if (filter.messagesetContains) query.set('messageset_contains', filter.messagesetContains);
    return this.http.pages(`subscriptions/?${query}`, SubscriptionSchema);
  }

  async updateSubscription(id: string, patch: { active?: boolean; lang?: string; metadata?: Record<string, unknown> }) {
    await this.http.request('PATCH', `subscriptions/${encodeURIComponent(id)}/`, null, patch);
  }

  submitSubscriptionRequests(requests: SubscriptionRequestPayload[]) {
    return eachSettled(requests, (request) => this.http.request('POST', 'subscriptions/', null, request));
  }
}
