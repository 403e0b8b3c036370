import { z } from 'zod';
import { passwordProblem } from '../../auth/passwords.js';
import { createUser, emailTaken } from '../../commands/userCreator.js';
import { CliError, parseFlags } from '../args.js';
import { findOrg } from '../orgFlag.js';

const UserCreateFlags = z
  .object({
    email: z.string({ error: 'is required' }).trim().toLowerCase().pipe(z.email('must be an e-mail address')),
    password: z.string({ error: 'is required' }),
    name: z.string().trim().min(1).max(128).optional(),
    superuser: z.boolean().default(false),
    org: z.string().optional(),
    role: z.enum(['admin', 'supervisor', 'viewer'], { error: 'must be admin, supervisor or viewer' }).optional(),
  })
  .refine((f) => Boolean(f.org) === Boolean(f.role), { path: ['role'], message: '--org and --role go together' });

/** `tracpro user:create --email E --password P [--name N] [--superuser] [--org SUB --role R]` */
export async function userCreate(argv: string[]) {
  const flags = parseFlags(
    argv,
    { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, superuser: { type: 'boolean' }, org: { type: 'string' }, role: { type: 'string' } },
    UserCreateFlags,
  );
  const weak = passwordProblem(flags.password, flags.email);
  if (weak) throw new CliError(`--password: ${weak}`);
  if (await emailTaken(flags.email)) throw new CliError(`--email: an account already uses ${flags.email}`);
  let membership;
  if (flags.org && flags.role) {
    const org = await findOrg(flags.org);
    membership = { orgId: org.id, role: flags.role };
  }
  const user = await createUser(
    { email: flags.email, password: flags.password, name: flags.name ?? flags.email.split('@')[0]!, isSuperuser: flags.superuser },
    membership,
  );
  console.log(`Created user ${user.id} <${user.email}>${user.isSuperuser ? ' (superuser)' : ''}${flags.org ? ` as ${flags.role} of ${flags.org}` : ''}`);
}
