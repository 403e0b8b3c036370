import type { Poll, PollRun, PollRunStart } from '../../../generated/prisma/client.js';
import { msg } from '../../../i18n/msg.js';
import { displayName } from '../../../polls/flows.js';

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
    region: names.region ?? t('All regions'),
    startedBy: names.creator ?? t('RapidPro'),
  };
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
