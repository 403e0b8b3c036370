import type { TFunction } from 'i18next';
import { env } from '../env.js';
import type { Org, User } from '../generated/prisma/client.js';
import { formatDateTime } from '../lib/dates.js';
import { queueMail } from '../mail/compose.js';
import { hostUrl } from '../tenancy/hosts.js';
import type { FetchState, PollFetch } from './fetchPastState.js';

/** Writes the log lines of a fetch (spec §9.6) in the requester's language. */
export class FetchLog {
  /**
   * @param lines the lines so far (appended to in place, saved with each page).
   * @param t the requester's translator.
   * @param timeZone the org's time zone, for times in the lines.
   * @param language the requester's language.
   */
  constructor(
    readonly lines: string[],
    readonly t: TFunction,
    private readonly timeZone: string,
    private readonly language: string,
  ) {}

  /** Formats an instant for a line. */
  time(at: Date): string {
    return formatDateTime(at, this.timeZone, this.language);
  }

  /** The start line: period, polls, archives and the estimate. */
  started(since: Date, polls: number, archives: number, requests: number): void {
    this.lines.push(this.t('Fetching the runs modified since {{since}} of {{polls}} tracked polls ({{archives}} archive files; about {{requests}} API requests).', { since: this.time(since), polls, archives, requests }));
  }

  /** The archive phase is over. */
  archivesRead(state: FetchState): void {
    if (state.archives.length) this.lines.push(this.t('Archives: {{count}} runs of tracked polls in the period.', { count: state.archivedRead }));
  }

  /** A poll is complete: what was read and what it changed. */
  pollDone(poll: PollFetch): void {
    this.lines.push(this.t('{{count}} runs for poll {{poll}}', { count: poll.read, poll: poll.name }));
    this.lines.push(this.t('{{poll}}: created {{created}}, updated {{updated}}, skipped {{skipped}}', { poll: poll.name, created: poll.created, updated: poll.updated, skipped: poll.skipped }));
  }

  /** A poll untracked since the fetch was planned. */
  pollUntracked(poll: PollFetch): void {
    this.lines.push(this.t('{{poll}} is no longer tracked; skipped.', { poll: poll.name }));
  }

  /** An archive listed when planned is gone (RapidPro replaced or deleted it). */
  archiveGone(startDate: string): void {
    this.lines.push(this.t('The archive of {{date}} is no longer listed by RapidPro; skipped.', { date: startDate }));
  }

  /** RapidPro throttled the fetch: it continues later, not an error. */
  throttled(resumeAt: Date): void {
    this.lines.push(this.t('RapidPro asked TracPro to slow down; the fetch continues after {{time}}.', { time: this.time(resumeAt) }));
  }

  /** An attempt failed and the job will try again from the saved progress. */
  retrying(error: string): void {
    this.lines.push(this.t('An attempt failed ({{error}}); trying again from where it stopped.', { error }));
  }

  /** The final line of a successful fetch. */
  done(state: FetchState, requests: number): void {
    const sum = (key: 'created' | 'updated' | 'skipped') => state.polls.reduce((a, p) => a + p[key], 0);
    this.lines.push(this.t('Done: created {{created}}, updated {{updated}}, skipped {{skipped}}, in {{requests}} API requests.', { created: sum('created'), updated: sum('updated'), skipped: sum('skipped'), requests }));
  }

  /** The final line of a failed fetch. */
  failed(error: string): void {
    this.lines.push(this.t('The fetch failed: {{error}}', { error }));
  }
}

/**
 * E-mails a finished fetch's log to the admin who asked for it (nobody for CLI fetches).
 * @param org the org.
 * @param requester the user who asked, if any.
 * @param language the language the log is written in.
 * @param report status and log lines.
 */
export async function mailFetchReport(org: Org, requester: User | null, language: string, report: { failed: boolean; lines: string[] }): Promise<void> {
  if (!requester?.isActive) return;
  const config = env();
  const link = hostUrl(config.publicScheme, config.BASE_HOST, org.subdomain, '/org/fetch-runs');
  await queueMail('runFetchReport', requester.email, language, { orgName: org.name, failed: report.failed, lines: report.lines, link });
}
