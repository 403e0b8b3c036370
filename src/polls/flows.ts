/**
 * Tells whether a flow may be offered as a poll: RapidPro's auto-generated "Single Message …"
 * flows never are (decision D6, invariant 12).
 * @param name the flow's name in RapidPro.
 * @returns false for single-message flows.
 */
export function isOfferedFlow(name: string): boolean {
  return !name.startsWith('Single Message');
}

/**
 * The name a poll or question shows: the admin's custom name, else RapidPro's (invariant 10).
 * @param row anything with a RapidPro name and an optional custom name.
 * @returns the display name.
 */
export function displayName(row: { rapidproName: string; customName: string | null }): string {
  return row.customName ?? row.rapidproName;
}

/**
 * The custom name to store for what an admin typed (spec §6.7): trimmed; blank or equal to the
 * RapidPro name clears it so later renames in RapidPro flow through.
 * @param typed the submitted name.
 * @param rapidproName the name in RapidPro.
 * @returns the custom name, or null.
 */
export function customNameFor(typed: string | null | undefined, rapidproName: string): string | null {
  const name = (typed ?? '').trim();
  return name === '' || name === rapidproName ? null : name;
}
