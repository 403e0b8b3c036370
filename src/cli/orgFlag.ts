import { db } from '../db/client.js';
import { CliError } from './args.js';

/**
 * The org named by an --org flag.
 * @param subdomain the flag's value.
 * @returns the org.
 */
export async function findOrg(subdomain: string) {
  const org = await db().org.findUnique({ where: { subdomain: subdomain.toLowerCase() } });
  if (!org) throw new CliError(`--org: no organization has the subdomain "${subdomain}"`);
  return org;
}
