import type { Db } from './db.ts';

/**
 * The typed events modules publish. Ids cross module boundaries, never rows. Each is written to
 * the outbox in the transaction that caused it, so no event is lost on a crash and none is
 * published for a change that rolled back.
 */
export interface DomainEvents {
  'registry.life_event.recorded': { citizenId: number; eventId: number; type: string; occurredOn: string };
  /** Several life events recorded together (an agency's batch): one outbox row for the batch. */
  'registry.life_events.recorded': { events: { citizenId: number; eventId: number; type: string; occurredOn: string; kind: 'original' | 'correction' | 'cancellation' }[] };
  'registry.citizen.created': { citizenId: number };
  /** A household was created, a member joined or left, or its income was declared: its benefits are re-evaluated. */
  'registry.household.changed': { householdId: number; citizenIds: number[]; change: 'created' | 'member_joined' | 'member_left' | 'income_declared' };
  /** A duplicate person record was merged into another (both FINs' histories are kept). */
  'registry.citizens.merged': { survivorCitizenId: number; mergedCitizenId: number };
  'cases.application.submitted': { citizenId: number; applicationId: string; reference: string; serviceCode: string };
  'cases.application.action_taken': { citizenId: number; applicationId: string; reference: string; action: string; status: string };
}
export type EventTopic = keyof DomainEvents;

/** Writes an event to the outbox inside the caller's transaction. */
export async function publishEvent<T extends EventTopic>(db: Db, topic: T, payload: DomainEvents[T]): Promise<void> {
  await db.insertInto('outbox').values({ topic, payload: JSON.stringify(payload) }).execute();
}
