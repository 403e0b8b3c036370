/** Flow starts and broadcasts, generated weekly or created through the API (small tables). */

/** What an API flow start asked for. */
export interface StartRequest {
  groups: number[];
  contacts: number[];
  urns: string[];
  restartParticipants: boolean;
  excludeActive: boolean;
  params: Record<string, unknown> | null;
}

/** A flow start: the weekly poll starts, hidden keyword "starts", and API starts. */
export interface StartRow {
  uuid: string;
  flowIndex: number;
  createdUs: number;
  /** Week of history the start belongs to (drives the answer drift). */
  week: number;
  /** Keyword-triggered runs are grouped under a hidden row; their runs have `start: null`. */
  keyword: boolean;
  /** Target panels of a generated weekly start. */
  panels: number[];
  request: StartRequest | null;
  /** Number of runs created, once known. */
  total: number | null;
}

/** A broadcast created through the API. */
export interface BroadcastRow {
  uuid: string;
  id: number;
  createdUs: number;
  text: Record<string, string>;
  baseLanguage: string;
  contacts: number[];
  groups: number[];
  urns: string[];
  total: number | null;
}

/** Status steps after creation, in microseconds: pending → queued → started → completed. */
export const START_STEPS_US = { queued: 1_000_000, started: 2_000_000, completed: 3_000_000 } as const;

/**
 * Works out a start's (or broadcast's) status at a virtual instant.
 * @returns the status and the instant it was reached (the row's modified_on).
 */
export function startStatus(createdUs: number, nowUs: number): { status: 'pending' | 'queued' | 'started' | 'completed'; sinceUs: number } {
  const age = nowUs - createdUs;
  if (age >= START_STEPS_US.completed) return { status: 'completed', sinceUs: createdUs + START_STEPS_US.completed };
  if (age >= START_STEPS_US.started) return { status: 'started', sinceUs: createdUs + START_STEPS_US.started };
  if (age >= START_STEPS_US.queued) return { status: 'queued', sinceUs: createdUs + START_STEPS_US.queued };
  return { status: 'pending', sinceUs: createdUs };
}
