import type { Request, Response } from 'express';
import { reminderMarkers, REMINDER_HOURS, type CompletionSeries, type ReminderMarker } from '../../../db/reminderReads.js';
import { cachedCompletionSeries } from '../../../dashboard/chartCache.js';
import { NotFoundError } from '../../../errors.js';
import { formatDateTime } from '../../../lib/dates.js';
import { msg } from '../../../i18n/msg.js';
import { loadPollRunInContext } from '../pollruns/scope.js';

const HOUR_MS = 3_600_000;

const GROUP_LABELS: Record<string, string> = { all: msg('All participants'), respondents: msg('Respondents'), non_respondents: msg('Non-respondents') };

/**
 * The effect-of-reminders chart data (static/js/charts/reminders.js): the share of recipients with
 * a complete response at each hour from the start, markers where messages went out, and a table.
 * Shares are percentages with one decimal (half away from zero), computed from whole counts.
 * @param series the hourly completions.
 * @param markers the messages sent to the participants.
 * @param options the reader's time zone, language and translator.
 * @returns the JSON the chart module draws.
 */
export function presentReminderEffect(series: CompletionSeries, markers: ReminderMarker[], options: { timeZone: string; language: string; t: (key: string, vars?: object) => string }) {
  // A ratio of whole numbers that ends in exactly .5 is exact in binary, so Math.round rounds it away from zero.
  const share = (complete: number) => (series.total ? Math.round((complete * 1000) / series.total) / 10 : 0);
  const points = series.complete.map((complete, hour) => ({ hour, complete, share: share(complete) }));
  const placed = markers
    .map((m) => ({ ...m, hour: Math.round(((m.sentAt.getTime() - series.start.getTime()) / HOUR_MS) * 100) / 100 }))
    .filter((m) => m.hour >= 0 && m.hour <= REMINDER_HOURS);
  const { t } = options;
  const label = (m: ReminderMarker) => t('{{group}}: {{count}} recipients', { group: t(GROUP_LABELS[m.recipientGroup] ?? m.recipientGroup), count: m.recipients });
  return {
    total: series.total,
    start: series.start.toISOString(),
    points,
    markers: placed.map((m) => ({
      hour: m.hour,
      label: label(m),
      text: m.text,
      sentAt: formatDateTime(m.sentAt, options.timeZone, options.language),
    })),
    labels: { share: t('Complete responses (%)'), marker: t('Message sent'), hours: t('Hours since the start') },
    table: {
      columns: [t('Hours since the start'), t('Complete responses'), t('Recipients'), t('Complete responses (%)'), t('Messages sent')],
      // Every sixth hour, plus the hours in which messages went out, keeps the table readable.
      rows: points
        .filter((p) => p.hour % 6 === 0 || placed.some((m) => Math.floor(m.hour) === p.hour))
        .map((p) => [p.hour, p.complete, series.total, p.share, placed.filter((m) => Math.floor(m.hour) === p.hour).map(label).join(' · ')]),
    },
  };
}

/** GET /pollruns/:id/reminders.json: the effect of reminders in the region context (404 as the poll run's tabs). */
export async function show(req: Request, res: Response) {
  const { run, regionIds } = await loadPollRunInContext(req, { covering: true });
  const [series, markers] = await Promise.all([cachedCompletionSeries(req.org!.id, run.id, regionIds), reminderMarkers(req.org!.id, run.id, regionIds)]);
  if (!series) throw new NotFoundError();
  // Hours still to come are not shown as zeros: a young poll run's series stops at the current
  // hour, or at its latest completion or message when RapidPro's clock runs ahead of ours.
  const elapsed = Math.max(0, Math.floor((Date.now() - series.start.getTime()) / HOUR_MS), lastChangeHour(series), ...markers.map((m) => Math.floor((m.sentAt.getTime() - series.start.getTime()) / HOUR_MS)));
  const shown = elapsed < REMINDER_HOURS ? { ...series, complete: series.complete.slice(0, elapsed + 1) } : series;
  res.json(presentReminderEffect(shown, markers, { timeZone: req.org!.timezone, language: req.language, t: req.t as (key: string, vars?: object) => string }));
}

/** The last hour in which the count of complete responses grew (0 when it never did). */
function lastChangeHour(series: CompletionSeries): number {
  for (let h = series.complete.length - 1; h > 0; h--) if (series.complete[h]! > series.complete[h - 1]!) return h;
  return 0;
}
