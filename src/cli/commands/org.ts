import { z } from 'zod';
import { createOrg } from '../../commands/orgCreator.js';
import { db } from '../../db/client.js';
import { OrgFieldsSchema } from '../../web/routes/manage/schema.js';
import { CliError, parseFlags } from '../args.js';

const OrgCreateFlags = z.object({
  name: z.string({ error: 'is required' }),
  subdomain: z.string({ error: 'is required' }),
  'api-url': z.string({ error: 'is required' }),
  'api-token': z.string({ error: 'is required' }),
  timezone: z.string().default('UTC'),
  languages: z.string().default('en'),
  'default-language': z.string().optional(),
});

/** `tracpro org:create --name N --subdomain SUB --api-url URL --api-token T [--timezone Z] [--languages en,fr] [--default-language fr]` */
export async function orgCreate(argv: string[]) {
  const flags = parseFlags(
    argv,
    {
      name: { type: 'string' }, subdomain: { type: 'string' }, 'api-url': { type: 'string' }, 'api-token': { type: 'string' },
      timezone: { type: 'string' }, languages: { type: 'string' }, 'default-language': { type: 'string' },
    },
    OrgCreateFlags,
  );
  const languages = flags.languages.split(',').map((l) => l.trim()).filter(Boolean);
  const fields = OrgFieldsSchema.safeParse({
    name: flags.name, subdomain: flags.subdomain, apiUrl: flags['api-url'], apiToken: flags['api-token'],
    timezone: flags.timezone, languages, defaultLanguage: flags['default-language'] ?? languages[0],
  });
  if (!fields.success) {
    const issue = fields.error.issues[0]!;
    const flag = { apiUrl: 'api-url', apiToken: 'api-token', defaultLanguage: 'default-language' }[String(issue.path[0])] ?? issue.path[0];
    throw new CliError(`--${String(flag)}: ${issue.message}`);
  }
  if (await db().org.findUnique({ where: { subdomain: fields.data.subdomain } })) {
    throw new CliError(`--subdomain: "${fields.data.subdomain}" is taken`);
  }
  const org = await createOrg(fields.data);
  console.log(`Created org ${org.id} "${org.name}" at subdomain ${org.subdomain}`);
}

/** `tracpro org:list`: one line per org. */
export async function orgList(argv: string[]) {
  parseFlags(argv, {}, z.object({}));
  const orgs = await db().org.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { memberships: true } } } });
  if (!orgs.length) return console.log('No organizations.');
  for (const org of orgs) {
    console.log([org.id, org.subdomain, org.name, org.timezone, org.isActive ? 'active' : 'inactive', `${org._count.memberships} members`].join('\t'));
  }
}
