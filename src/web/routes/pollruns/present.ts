import type { Request } from 'express';
import type { Poll, PollRun, PollRunStart } from '../../../generated/prisma/client.js';
import { msg } from '../../../i18n/msg.js';
import { displayName } from '../../../polls/flows.js';
import { orgDb } from '../../../tenancy/orgDb.js';

const TYPE_LABELS = {
  universal: msg('Started in RapidPro'),
  spoofed: msg('Demo data'),
  regional: msg('Region only'),
  propagated: msg('Region and sub-regions'),
} as const;

const KIND_LABELS: Record<string, string> = { start: msg('Start'), restart: msg('Restart of non-respondents') };

const STATUS_LABELS: Record<string, { label: string; tone: string }> = {
  queued: { label: msg('Queued'), tone: 'secondary' },
  sending: { label: msg('Sending'), tone: 'info' },
  done: { label: msg('All sent'), tone: 'success' },
  failed: { label: msg('Failed'), tone: 'danger' },
};

/**
 * A poll run for its page heading (spec §6.9, §17.8).
 * @param run the poll run and its poll.
 * @param names the region's and creator's names (null: all regions / started in RapidPro).
 * @param t the translator.
 * @returns what the page shows.
 */
export function presentPollRun(run: PollRun & { poll: Poll }, names: { region: string | null; creator: string | null }, t: (key: string) => string) {
  return {
    id: run.id,
    pollId: run.pollId,
    pollName: displayName(run.poll),
    conductedOn: run.conductedOn,
    type: t(TYPE_LABELS[run.type]),
    region: names.region ?? t('All'),
    startedBy: names.creator ?? t('RapidPro'),
  };
}

/** A poll run as its tabs' header shows it (views/partials/pollRunTabs.njk). */
export type PollRunView = ReturnType<typeof presentPollRun>;

/**
 * A poll run for its tabs' header: loads its region's and creator's names (spec §17.8 "Started
 * by": the creator, or RapidPro for runs started there).
 * @param req the request (org loaded).
 * @param run the poll run and its poll.
 * @returns the presented poll run.
 */
export async function pollRunHeader(req: Request, run: PollRun & { poll: Poll }): Promise<PollRunView> {
  const scoped = orgDb(req.org!.id);
  const [region, creator] = await Promise.all([
    run.regionId ? scoped.region.findFirst({ where: { id: run.regionId }, select: { name: true } }) : null,
    run.createdById ? scoped.user.findFirst({ where: { id: run.createdById }, select: { name: true } }) : null,
  ]);
  return presentPollRun(run, { region: region?.name ?? null, creator: run.createdById ? creator?.name ?? '' : null }, req.t);
}

/**
 * "C (P)" of spec §15.2: complete responses, then the partial ones in parentheses when any.
 * @param counts the poll run's status counts.
 * @param format formats a number for the reader's language.
 * @returns the text.
 */
export function responsesText(counts: Record<'E' | 'P' | 'C', number>, format: (n: number) => string): string {
  return counts.P > 0 ? `${format(counts.C)} (${format(counts.P)})` : format(counts.C);
}

/**
 * Completion of spec §15.1: ⌊100 × C ÷ (E+P+C)⌋, or null when there is no response.
 * @param counts the status counts.
 * @returns the whole percentage, or null.
 */
export function completionPercent(counts: Record<'E' | 'P' | 'C', number>): number | null {
  const total = counts.E + counts.P + counts.C;
  return total ? Math.floor((100 * counts.C) / total) : null;
}

/**
 * A start of a poll run with its progress.
 * @param start the start.
 * @param requester the requester's name, if known.
 * @param t the translator.
 * @returns what the starts table shows.
 */
export function presentStart(start: PollRunStart, requester: string | null, t: (key: string) => string) {
  const status = STATUS_LABELS[start.status] ?? { label: start.status, tone: 'secondary' };
  return {
    id: start.id,
    kind: t(KIND_LABELS[start.kind] ?? start.kind),
    requester: requester ?? '',
    createdAt: start.createdAt,
    status: t(status.label),
    tone: status.tone,
    sent: start.sentCount,
    recipients: start.recipientCount,
    percent: start.recipientCount ? Math.floor((100 * start.sentCount) / start.recipientCount) : 0,
    error: start.error,
  };
}
