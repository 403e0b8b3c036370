import { displayName } from '../polls/flows.js';
import { orgDb } from '../tenancy/orgDb.js';

const byName = new Intl.Collator('en', { sensitivity: 'base' }).compare;

/**
 * Names of an org's regions and active reporter groups for response rows, which carry ids: the
 * contact's region and reporter groups as the counters see them (responses.region_id, group_ids).
 * Group lists repeat across rows, so each distinct list is named once.
 */
export class ContactPlaceNames {
  private readonly groupLists = new Map<string, string>();

  /**
   * @param regions region id → name (every region of the org).
   * @param groups active reporter group id → name.
   */
  constructor(
    private readonly regions: Map<number, string>,
    private readonly groups: Map<number, string>,
  ) {}

  /**
   * Loads the names of an org.
   * @param orgId the org.
   * @returns the names.
   */
  static async load(orgId: number): Promise<ContactPlaceNames> {
    const scoped = orgDb(orgId);
    const [regions, groups] = await Promise.all([
      scoped.region.findMany({ select: { id: true, name: true } }),
      scoped.reporterGroup.findMany({ where: { isActive: true }, select: { id: true, name: true } }),
    ]);
    return new ContactPlaceNames(new Map(regions.map((r) => [r.id, r.name])), new Map(groups.map((g) => [g.id, g.name])));
  }

  /**
   * A region's name.
   * @param id the region id.
   * @returns the name, or '' when unknown.
   */
  region(id: number | null): string {
    return id === null ? '' : this.regions.get(id) ?? '';
  }

  /**
   * Reporter group names sorted alphabetically and joined with ", " (spec §17.8, §19).
   * @param ids the ids, as an array or as Postgres array text ("{3,5}").
   * @returns the joined names.
   */
  groupList(ids: number[] | string): string {
    const key = typeof ids === 'string' ? ids : ids.join(',');
    let names = this.groupLists.get(key);
    if (names === undefined) {
      const list = typeof ids === 'string' ? ids.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number) : ids;
      names = list.map((id) => this.groups.get(id)).filter((n): n is string => n !== undefined).sort(byName).join(', ');
      this.groupLists.set(key, names);
    }
    return names;
  }
}

/**
 * A poll run's column heading in participation tables: "<poll> (<YYYY-MM-DD>)", the date in the
 * org's time zone (spec §17.9).
 * @param run the poll run's date and its poll's names.
 * @param timeZone the org's IANA time zone.
 * @returns the heading.
 */
export function pollRunHeading(run: { conductedOn: Date; poll: { rapidproName: string; customName: string | null } }, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(run.conductedOn);
  return `${displayName(run.poll)} (${day})`;
}
