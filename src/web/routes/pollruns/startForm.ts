import type { Request } from 'express';
import { can } from '../../../policies/index.js';
import { displayName } from '../../../polls/flows.js';
import { orgDb } from '../../../tenancy/orgDb.js';

/** An option of the start form. */
export interface StartOption {
  value: number;
  label: string;
  /** Indentation of a region under its parent, relative to the shallowest region offered. */
  depth?: number;
}

/** What the home page needs to render the "Start a poll" form. */
export interface StartFormLocals {
  polls: StartOption[];
  regions: StartOption[];
  values: { poll?: string | number; region?: string | number; propagate: boolean };
  errors: Record<string, string>;
}

/**
 * The polls that may be started: tracked, and neither archived nor gone in RapidPro, by name
 * (case-insensitively, spec §17.2 step 3).
 * @param orgId the org.
 * @returns the options.
 */
export async function startablePolls(orgId: number): Promise<StartOption[]> {
  const polls = await orgDb(orgId).poll.findMany({ where: { isActive: true, isArchivedInRapidPro: false, isMissingInRapidPro: false } });
  return polls
    .map((p) => ({ value: p.id, label: displayName(p) }))
    .sort((a, b) => a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }));
}

/**
 * The start form for the request's user, or null when they may not start polls or have no region.
 * Regions are the user's (region context, spec §5.1) in tree order; the current one is preselected.
 * @param req the request (org, actor and region context loaded).
 * @param submitted the values and errors of a refused submission, if any.
 * @returns the form's locals, or null.
 */
export async function startFormLocals(req: Request, submitted?: Pick<StartFormLocals, 'values' | 'errors'>): Promise<StartFormLocals | null> {
  const context = req.regions;
  if (!req.actor || !can(req.actor, 'polls:start') || !context?.tree.length) return null;
  const shallowest = Math.min(...context.tree.map((r) => r.depth));
  const regions = context.tree.map((r) => ({ value: r.id, label: r.name, depth: Math.min(r.depth - shallowest, 6) }));
  const values = submitted?.values ?? { region: context.current?.id ?? regions[0]!.value, propagate: true };
  return { polls: await startablePolls(req.org!.id), regions, values, errors: submitted?.errors ?? {} };
}
