import type { Db } from './db.ts';

/**
 * The typed events modules publish. Ids cross module boundaries, never rows. Each is written to
 * the outbox in the transaction that caused it, so no event is lost on a crash and none is
 * published for a change that rolled back.
 */
export interface DomainEvents {
  'registry.life_event.recorded': { citizenId: number; eventId: number; type: string; occurredOn: string };
  'registry.citizen.created': { citizenId: number };
  'cases.application.submitted': { citizenId: number; applicationId: string; reference: string; serviceCode: string };
  'cases.application.action_taken': { citizenId: number; applicationId: string; reference: string; action: string; status: string };
}
export type EventTopic = keyof DomainEvents;

/** Writes an event to the outbox inside the caller's transaction. */
export async function publishEvent<T extends EventTopic>(db: Db, topic: T, payload: DomainEvents[T]): Promise<void> {
  await db.insertInto('outbox').values({ topic, payload: JSON.stringify(payload) }).execute();
}
