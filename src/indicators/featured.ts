import { answeredInTerm } from '../db/indicatorReads.js';
import type { Indicator } from '../generated/prisma/client.js';
import { dayOf, latestIndicators } from './definition.js';

/** How many indicators the home page lists, and among which it features one (spec §14.6, §17.2). */
export const RECENT_INDICATORS = 5;

/** The home page's indicators. */
export interface FeaturedChoice {
  /** The indicators with the latest end dates, latest first. */
  recent: Indicator[];
  /** The first of them whose follow-up question was answered in its own term, or null. */
  featured: Indicator | null;
}

/**
 * Chooses the featured indicator (spec §14.6): among the 5 indicators with the latest end dates,
 * the first whose follow-up question has at least one answer within its own term in universal or
 * spoofed poll runs.
 * @param orgId the org.
 * @param timeZone the org's zone.
 * @returns the recent indicators and the featured one.
 */
export async function chooseFeatured(orgId: number, timeZone: string): Promise<FeaturedChoice> {
  const recent = await latestIndicators(orgId, RECENT_INDICATORS);
  const answered = await answeredInTerm(orgId, recent.map((i) => ({
    pollId: i.followUpPollId,
    questionId: i.followUpQuestionId,
    window: { start: dayOf(i.startDate), end: dayOf(i.endDate) },
  })), timeZone);
  return { recent, featured: recent.find((_, index) => answered.has(index)) ?? null };
}
