/**
 * Broadcast statuses after which RapidPro changes nothing: current servers end in completed,
 * failed or interrupted; 2019-era servers in sent or failed (rapidpro-api §5.10).
 */
export const FINAL_BROADCAST_STATUSES = ['completed', 'failed', 'interrupted', 'sent'];

const FAILED_BROADCAST_STATUSES = new Set(['failed', 'interrupted']);
const DONE_BROADCAST_STATUSES = new Set(['completed', 'sent']);

/** The status a message shows, from our send and what RapidPro reports of its broadcasts. */
export type DisplayStatus = 'pending' | 'sending' | 'queued' | 'sent' | 'failed';

/**
 * Works out the status a message shows: ours while it is being sent or when sending failed; once
 * sent, RapidPro's view of its broadcasts — queued until every broadcast completed, failed when
 * one failed. A reply (no broadcasts) is sent once RapidPro took it.
 * @param status the message's own status (pending | sending | sent | failed).
 * @param broadcastStatuses RapidPro's last reported status of each batch (null: not checked yet).
 * @returns the status to show.
 */
export function displayStatus(status: string, broadcastStatuses: (string | null)[]): DisplayStatus {
  if (status === 'pending' || status === 'sending' || status === 'failed') return status;
  if (broadcastStatuses.some((s) => s !== null && FAILED_BROADCAST_STATUSES.has(s))) return 'failed';
  return broadcastStatuses.every((s) => s !== null && DONE_BROADCAST_STATUSES.has(s)) ? 'sent' : 'queued';
}
