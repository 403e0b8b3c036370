import { Router } from 'express';
import { access } from '../../access.js';
import * as orgs from './orgs.js';
import * as outbox from './outbox.js';
import { queuesRouter } from './queues.js';
import * as users from './users.js';

/** Site management for superusers, on the base host (spec §17.4). */
export function manageRouter(): Router {
  return Router()
    .get('/manage', access.superuser, (_req, res) => res.redirect('/manage/orgs'))
    .get('/manage/orgs', access.superuser, orgs.index)
    .get('/manage/orgs/new', access.superuser, orgs.newForm)
    .post('/manage/orgs', access.superuser, orgs.create)
    .get('/manage/orgs/:id/edit', access.superuser, orgs.edit)
    .post('/manage/orgs/:id', access.superuser, orgs.update)
    .post('/manage/orgs/:id/deactivate', access.superuser, orgs.deactivate)
    .get('/manage/users', access.superuser, users.index)
    .get('/manage/users/new', access.superuser, users.newForm)
    .post('/manage/users', access.superuser, users.create)
    .get('/manage/users/:id/edit', access.superuser, users.edit)
    .post('/manage/users/:id', access.superuser, users.update)
    .post('/manage/users/:id/deactivate', access.superuser, users.deactivate)
    .get('/manage/outbox', access.superuser, outbox.index)
    .get('/manage/outbox/:id', access.superuser, outbox.show)
    .use(queuesRouter());
}
