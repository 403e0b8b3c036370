import type { Run } from '../rapidpro/client/index.js';
import { answerCategory } from '../polls/rules.js';

/** Response status (spec §6.10): empty, partial, complete. */
export type ResponseStatusName = 'E' | 'P' | 'C';

/** Longest stored answer value and category (spec §6.11). */
export const VALUE_MAX = 640;
export const CATEGORY_MAX = 36;

/** A tracked poll as ingestion needs it: its id and the active questions a run value can land on. */
export interface TrackedPoll {
  pollId: number;
  /** Active questions by result key (run.values is keyed by key, rapidpro-api §8.5). */
  questionsByKey: Map<string, number>;
  /** Active questions by node uuid, for values whose key is unknown. */
  questionsByNode: Map<string, number>;
}

/** One answer of a mapped run. */
export interface MappedAnswer {
  questionId: number;
  value: string;
  category: string | null;
  submittedOn: Date;
  /** Org-local day of submittedOn, YYYY-MM-DD (D5). */
  localDay: string;
}

/** A run reduced to the rows ingestion writes (spec §9.2 with D4/D5). */
export interface MappedRun {
  runUuid: string;
  pollId: number;
  contactUuid: string;
  startUuid: string | null;
  createdOn: Date;
  updatedOn: Date;
  /** The run's modified_on as RapidPro wrote it (microseconds kept). */
  modifiedOn: string;
  /** Org-local day of createdOn, YYYY-MM-DD: the daily poll run it joins when no start matches. */
  localDay: string;
  status: ResponseStatusName;
  exitType: string | null;
  exitedOn: Date | null;
  answers: MappedAnswer[];
}

/**
 * A response's status (spec §9.2 step 4, §24.6): complete when the run exited completed,
 * partial when it has any value, else empty.
 * @param run the run's exit type and values.
 * @returns C, P or E.
 */
export function responseStatus(run: Pick<Run, 'exitType' | 'values'>): ResponseStatusName {
  if (run.exitType === 'completed') return 'C';
  return Object.keys(run.values).length > 0 ? 'P' : 'E';
}

/**
 * When a response last changed (spec §9.2 step 1): the latest value time, else the run's creation.
 * @param run the run.
 * @returns the time.
 */
export function runUpdatedOn(run: Pick<Run, 'createdOn' | 'values'>): Date {
  const latest = Object.values(run.values).reduce((max, v) => Math.max(max, v.time.ms), run.createdOn.ms);
  return new Date(latest);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** Local days by time zone, then by quarter hour since the epoch. */
const dayCache = new Map<string, Map<number, string>>();
/** Zone offsets are whole quarter hours: every instant of a quarter hour has the same local day. */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * The calendar day of an instant in a time zone (D5: daily poll runs and same-day groups).
 * Formatting is slow and a page of runs shares few quarter hours, so days are cached per quarter hour.
 * @param at the instant.
 * @param timeZone an IANA zone.
 * @returns YYYY-MM-DD.
 */
export function localDay(at: Date, timeZone: string): string {
  let days = dayCache.get(timeZone);
  if (!days) dayCache.set(timeZone, (days = new Map()));
  const quarter = Math.floor(at.getTime() / QUARTER_HOUR_MS);
  let day = days.get(quarter);
  if (day === undefined) {
    if (days.size > 100_000) days.clear();
    let format = dayFormats.get(timeZone);
    if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
    const parts = format.formatToParts(at);
    const pick = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    day = `${pick('year')}-${pick('month')}-${pick('day')}`;
    days.set(quarter, day);
  }
  return day;
}

/**
 * Maps a run of a tracked poll to the rows to write: one answer per value that lands on an active
 * question (invariant 6), categories reduced ("All Responses" → null, §24.10).
 * @param run the run.
 * @param poll the tracked poll of the run's flow.
 * @param timeZone the org's time zone.
 * @returns the mapped run.
 */
export function mapRun(run: Run, poll: TrackedPoll, timeZone: string): MappedRun {
  const answers: MappedAnswer[] = [];
  for (const key in run.values) {
    const value = run.values[key]!;
    const questionId = poll.questionsByKey.get(key) ?? poll.questionsByNode.get(value.node);
    if (questionId === undefined || answers.some((a) => a.questionId === questionId)) continue;
    const submittedOn = new Date(value.time.ms);
    answers.push({
      questionId,
      value: value.value.slice(0, VALUE_MAX),
      category: answerCategory(value.category)?.slice(0, CATEGORY_MAX) ?? null,
      submittedOn,
      localDay: localDay(submittedOn, timeZone),
    });
  }
  const createdOn = new Date(run.createdOn.ms);
  return {
    runUuid: run.uuid,
    pollId: poll.pollId,
    contactUuid: run.contact.uuid,
    startUuid: run.start?.uuid ?? null,
    createdOn,
    updatedOn: runUpdatedOn(run),
    modifiedOn: run.modifiedOn.iso,
    localDay: localDay(createdOn, timeZone),
    status: responseStatus(run),
    exitType: run.exitType,
    exitedOn: run.exitedOn ? new Date(run.exitedOn.ms) : null,
    answers,
  };
}
