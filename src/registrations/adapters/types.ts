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

/** The Identity Store: people and opt-outs (spec §10.1). */
export interface IdentityStore {
  getIdentity(id: string): Promise<Identity | null>;
  getDefaultAddress(id: string, type: 'msisdn'): Promise<string | null>;
  createIdentity(details: Record<string, unknown>, communicateThrough?: string): Promise<Identity>;
  updateIdentityDetails(id: string, details: Record<string, unknown>): Promise<Identity>;
  createOptout(o: { identity: string; reason: string; addressType: 'msisdn'; address?: string; requestSource: string; optoutType: 'stop' }): Promise<void>;
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
}

/** Stage-based messaging: message sequences and subscriptions (spec §10.2). */
export interface MessagingService {
  findMessagesetByShortName(shortName: string): Promise<Messageset | null>;
  getMessageset(id: number): Promise<Messageset | null>;
  getSchedule(id: number): Promise<{ id: number; daysOfWeek: number[] }>;
  listSubscriptions(filter: { identity?: string; active?: boolean; completed?: boolean; messagesetContains?: string }): Promise<Subscription[]>;
  updateSubscription(id: string, patch: { active?: boolean; lang?: string; metadata?: Record<string, unknown> }): Promise<void>;
  submitSubscriptionRequest(request: SubscriptionRequestPayload): Promise<void>;
}

/** One-off outbound messages (spec §10.3). */
export interface MessageSender {
  send(message: { toIdentity?: string; toAddr?: string; content: string; metadata?: Record<string, unknown> }): Promise<void>;
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
