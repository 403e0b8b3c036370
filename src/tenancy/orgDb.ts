import { Prisma } from '../generated/prisma/client.js';
import { db } from '../db/client.js';

/**
 * Models that belong to one org. Each later issue adds its models here; a test checks that every
 * model with an orgId column is listed.
 */
export const ORG_OWNED_MODELS = new Set<string>([
  'OrgMembership',
  // Org setup and contacts (issue 4)
  'Region', 'RegionAccess', 'ReporterGroup', 'RapidProGroup', 'Boundary', 'DataField', 'Contact', 'ContactReporterGroup', 'SyncState',
  // Registrations (issue 8)
  'RegistrationConfig', 'RegistrationSource', 'RegistrationSourceToken', 'Registration', 'SubscriptionRequest',
  'RegistrationChange', 'OptoutEvent', 'MetricPoint', 'MetricJobRun', 'Identity', 'Subscription', 'OutboundMessage',
  // Polls (issue 5)
  'Poll', 'Question',
  // Poll runs (issue 5)
  'PollRun', 'Response', 'Answer', 'RunBackfill',
  'AnswerCounter', 'AnswerCounterDelta', 'ResponseCounter', 'ResponseCounterDelta',
  'PollRunStart', 'PollRunStartBatch', 'RunFetch',
  // Dashboard (issue 6)
  'ExportFile', 'ExportChunk',
  // Indicators, messages and the inbox (issue 7)
  'Indicator', 'Message', 'MessageBatch', 'MessageRecipient', 'InboxMessage',
]);

const READ_OPS = new Set([
  'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy',
  'update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany',
]);
const CREATE_OPS = new Set(['create', 'createMany', 'createManyAndReturn']);

/**
 * Scopes a query's arguments to one org: filters add orgId, writes set it.
 * @param orgId the org.
 * @param operation the Prisma operation name.
 * @param args the query arguments.
 * @returns the scoped arguments.
 */
export function scopeArgs(orgId: number, operation: string, args: Record<string, unknown>): Record<string, unknown> {
  const scoped = { ...args };
  if (READ_OPS.has(operation)) scoped.where = { ...(args.where as object | undefined), orgId };
  if (CREATE_OPS.has(operation)) {
    const data = args.data;
    scoped.data = Array.isArray(data) ? data.map((row: object) => ({ ...row, orgId })) : { ...(data as object), orgId };
  }
  if (operation === 'upsert') {
    scoped.where = { ...(args.where as object), orgId };
    scoped.create = { ...(args.create as object), orgId };
  }
  return scoped;
}

/**
 * A Prisma client whose org-owned models only ever see one org's rows.
 * @param orgId the org every query is limited to.
 * @returns the scoped client (same API as the raw client).
 */
export function orgDb(orgId: number) {
  return db().$extends(
    Prisma.defineExtension({
      name: `org-${orgId}`,
      query: {
        $allModels: {
          $allOperations({ model, operation, args, query }) {
            if (!ORG_OWNED_MODELS.has(model)) return query(args);
            return query(scopeArgs(orgId, operation, (args ?? {}) as Record<string, unknown>) as typeof args);
          },
        },
      },
    }),
  );
}
export type OrgDb = ReturnType<typeof orgDb>;
