import { z } from 'zod';

/** A person in the Identity Store (spec §10.1). */
export const IdentitySchema = z.object({
  id: z.string().min(1).max(36),
  details: z.record(z.string(), z.unknown()).default({}),
  communicate_through: z.string().nullable().optional(),
});
export type Identity = z.infer<typeof IdentitySchema>;

/** An opt-out as the Identity Store lists it. */
export const OptoutSchema = z.object({
  identity: z.string(),
  reason: z.string().default(''),
  request_source: z.string().default(''),
  created_at: z.string().optional(),
});
export type Optout = z.infer<typeof OptoutSchema>;

/** Per item of a batch call: null when it went through, else what went wrong. */
export type Outcome = string | null;

/** The Identity Store: people and opt-outs (spec §10.1). */
export interface IdentityStore {
  getIdentity(id: string): Promise<Identity | null>;
  /** Several identities (a batch's operators); null when unknown, missing when the look-up failed. */
  getIdentities(ids: string[]): Promise<Map<string, Identity | null>>;
  getDefaultAddress(id: string, type: 'msisdn'): Promise<string | null>;
  /** The default addresses of several identities (a batch's welcome messages); an id whose look-up failed is missing. */
  getDefaultAddresses(ids: string[], type: 'msisdn'): Promise<Map<string, string | null>>;
  createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity>;
  updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity>;
  /** Opt-outs matching the filter: the opt-out system of record (spec §8.4). */
  searchOptouts(filter: OptoutFilter): Promise<Optout[]>;
  createOptout(o: { identity: string; reason: string; addressType: 'msisdn'; address?: string; requestSource: string; optoutType: 'stop' }): Promise<void>;
}

/** Which opt-outs searchOptouts returns (created in (createdAfter, createdBefore]). */
export interface OptoutFilter {
  reason?: string;
  requestSource?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

export const MessagesetSchema = z.object({
  id: z.number().int(),
  short_name: z.string(),
  default_schedule: z.number().int(),
  content_type: z.enum(['text', 'audio']),
});
export type Messageset = z.infer<typeof MessagesetSchema>;

export const ScheduleSchema = z.object({ id: z.number().int(), day_of_week: z.string() });

export const SubscriptionSchema = z.object({
  id: z.string(),
  identity: z.string(),
  messageset: z.number().int(),
  messageset_short_name: z.string().optional(),
  next_sequence_number: z.number().int(),
  lang: z.string(),
  schedule: z.number().int(),
  active: z.boolean(),
  completed: z.boolean(),
  metadata: z.record(z.string(), z.unknown()).nullable().default({}),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** What the messaging service is asked to create (spec §3.4). */
export interface SubscriptionRequestPayload {
  identity: string;
  messageset: number;
  next_sequence_number: number;
  lang: string;
  schedule: number;
  metadata: Record<string, unknown>;
  /** Lets the receiving side name the messageset without looking it up. */
  messageset_short_name?: string;
}

/** Stage-based messaging: message sequences and subscriptions (spec §10.2). */
export interface MessagingService {
  findMessagesetByShortName(shortName: string): Promise<Messageset | null>;
  getMessageset(id: number): Promise<Messageset | null>;
  getSchedule(id: number): Promise<{ id: number; daysOfWeek: number[] }>;
  /** Subscriptions matching the filter; several identities at once when `identity` is a list. */
  listSubscriptions(filter: SubscriptionFilter): Promise<Subscription[]>;
  updateSubscription(id: string, patch: { active?: boolean; lang?: string; metadata?: Record<string, unknown> }): Promise<void>;
  /** Hands requests over (a batch's at once); one outcome per request, in order. */
  submitSubscriptionRequests(requests: SubscriptionRequestPayload[]): Promise<Outcome[]>;
}

/** Which subscriptions listSubscriptions returns. */
export interface SubscriptionFilter {
  identity?: string | string[];
  active?: boolean;
  completed?: boolean;
  messagesetContains?: string;
}

/** A one-off outbound message. */
export interface Outbound {
  toIdentity?: string;
  toAddr?: string;
  content: string;
  metadata?: Record<string, unknown>;
}

/** One-off outbound messages (spec §10.3). */
export interface MessageSender {
  /** Sends messages (a batch's welcomes at once); one outcome per message, in order. */
  send(messages: Outbound[]): Promise<Outcome[]>;
}

/** Where metric values go (spec §10.4). */
export interface MetricSink {
  send(points: { name: string; value: number; timestamp: Date }[]): Promise<void>;
}

/** The adapters of one org. */
export interface Adapters {
  identityStore: IdentityStore;
  messaging: MessagingService;
  sender: MessageSender;
  sinks: MetricSink[];
}
