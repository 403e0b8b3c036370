import type { OptoutEvent, Registration, RegistrationChange } from '../../generated/prisma/client.js';
import type { RegistrationConfig } from '../config.js';
import { CHANGE_METRICS } from './names.js';

export type EventKind = 'registration' | 'change' | 'optout';

/** One event's contribution to the counters: the metric names it increments, and its operator. */
export interface MetricEvent {
  kind: EventKind;
  rowId: string;
  time: Date;
  /** Counter names incremented by 1 (both `.sum` lifetime counters and `.total.last` totals). */
  names: string[];
  /** The operator to add to the unique-operator set (registrations with a non-empty operator). */
  operatorId: string | null;
}

/** The columns of a registration its metrics depend on. */
export type EventColumns = Pick<Registration, 'id' | 'createdAt' | 'operatorId' | 'msgType' | 'msgReceiver' | 'language' | 'operatorState' | 'operatorRole'>;

/** The same columns as a Prisma select. */
export const EVENT_COLUMNS = { id: true, createdAt: true, operatorId: true, msgType: true, msgReceiver: true, language: true, operatorState: true, operatorRole: true } as const;

const ACTION_METRIC = Object.fromEntries(Object.entries(CHANGE_METRICS).map(([segment, action]) => [action, segment]));

function pair(base: string): string[] {
  return [`${base}.sum`, `${base}.total.last`];
}

/**
 * The counters a registration increments (spec §8.2); unrecognised values produce none.
 * @param row the registration.
 * @param sourceSlug its source's slug.
 * @param config the org's configuration.
 * @returns the event.
 */
export function registrationEvent(row: EventColumns, sourceSlug: string, config: RegistrationConfig): MetricEvent {
  const names = [...pair('registrations.created'), `registrations.source.${sourceSlug}.sum`];
  const dims: [string, string | null, string[]][] = [
    ['msg_type', row.msgType, config.msgTypes],
    ['receiver_type', row.msgReceiver, config.receiverTypes],
    ['language', row.language, config.languages],
    ['state', row.operatorState, config.states],
    ['role', row.operatorRole, config.roles],
  ];
  for (const [dim, value, list] of dims) if (value !== null && list.includes(value)) names.push(...pair(`registrations.${dim}.${value}`));
  return { kind: 'registration', rowId: row.id, time: row.createdAt, names, operatorId: row.operatorId || null };
}

/**
 * The counters a change request increments (spec §8.3); unsubscribe actions have none.
 * @param row the change.
 * @returns the event.
 */
export function changeEvent(row: RegistrationChange): MetricEvent {
  const segment = ACTION_METRIC[row.action];
  return { kind: 'change', rowId: row.id, time: row.createdAt, names: segment ? pair(`registrations.change.${segment}`) : [], operatorId: null };
}

/**
 * The counters an opt-out notification increments (spec §8.4); none when no registration matched.
 * @param row the opt-out event.
 * @param config the org's configuration.
 * @returns the event.
 */
export function optoutEvent(row: OptoutEvent, config: RegistrationConfig): MetricEvent {
  const names: string[] = [];
  if (row.registrationId) {
    names.push(...pair(`optout.reason.${row.reasonBucket}`), ...pair(`optout.source.${row.sourceShort}`));
    if (row.attributedReceiver && config.receiverTypes.includes(row.attributedReceiver)) names.push(...pair(`optout.receiver_type.${row.attributedReceiver}`));
    if (row.attributedMsgType && config.msgTypes.includes(row.attributedMsgType)) names.push(...pair(`optout.msg_type.${row.attributedMsgType}`));
  }
  return { kind: 'optout', rowId: row.id, time: row.receivedAt, names, operatorId: null };
}
