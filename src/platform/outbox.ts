import { sql } from 'kysely';
import type { Db } from './db.ts';
import type { DomainEvents, EventTopic } from './events.ts';
import type { Logger } from './logger.ts';

/** One delivered event. */
export interface OutboxEvent<T extends EventTopic = EventTopic> { eventId: number; topic: T; payload: DomainEvents[T]; attempts: number }

/**
 * Handles one event inside the transaction that marks it processed, so its effects and the
 * mark commit together. Handlers must still be idempotent: a crash between claim and commit
 * redelivers the event.
 */
export type OutboxHandler<T extends EventTopic = EventTopic> = (trx: Db, event: OutboxEvent<T>) => Promise<void>;
export type OutboxHandlers = { [T in EventTopic]?: OutboxHandler<T> };

export interface OutboxDispatcherOptions {
  /** Wait between polls when the outbox is empty (ms); 200 by default. */
  pollMs?: number;
  /** Delay before retry n (1-based), ms: 1 s, 2 s, 4 s, … capped at 5 min by default. */
  backoffMs?: (attempt: number) => number;
  /** After this many failed attempts an event is parked (no longer retried); 10 by default. */
  maxAttempts?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Delivers outbox events to in-process handlers. */
export interface OutboxDispatcher {
  /** Processes every event available now; returns how many were handled. */
  drain(): Promise<number>;
  /** Polls in the background until stopped. */
  start(): void;
  stop(): Promise<void>;
}

const defaultBackoff = (n: number) => Math.min(300_000, 1000 * 2 ** (n - 1));

/**
 * The outbox consumer: claims the oldest pending event of a handled topic with
 * `FOR UPDATE SKIP LOCKED` (several processes can run it), runs the handler and marks the event
 * processed in the same transaction; on failure counts the attempt, records the error and makes
 * the event available again after a back-off.
 */
export function createOutboxDispatcher(db: Db, handlers: OutboxHandlers, opts: OutboxDispatcherOptions = {}): OutboxDispatcher {
  const topics = Object.keys(handlers);
  const backoff = opts.backoffMs ?? defaultBackoff;
  const maxAttempts = opts.maxAttempts ?? 10;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  /** Handles one event; false when none is available. */
  async function one(): Promise<boolean> {
    let claimed: OutboxEvent | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('outbox').select(['event_id', 'topic', 'payload', 'attempts'])
          .where('processed_at', 'is', null).where('available_at', '<=', sql<Date>`now()`).where('topic', 'in', topics)
          .where('attempts', '<', maxAttempts)
          .orderBy('event_id').limit(1).forUpdate().skipLocked().executeTakeFirst();
        if (!row) return false;
        claimed = { eventId: row.event_id, topic: row.topic as EventTopic, payload: row.payload as never, attempts: row.attempts };
        const handler = handlers[claimed.topic] as OutboxHandler | undefined;
        await handler!(trx, claimed);
        await trx.updateTable('outbox').set({ processed_at: sql<Date>`now()`, attempts: row.attempts + 1, last_error: null }).where('event_id', '=', row.event_id).execute();
        return true;
      });
    } catch (e) {
      if (!claimed) throw e;
      const attempt = claimed.attempts + 1;
      opts.logger?.warn({ eventId: claimed.eventId, topic: claimed.topic, attempt, err: e }, 'outbox handler failed');
      await db.updateTable('outbox').set({
        attempts: attempt, last_error: String((e as Error).message ?? e).slice(0, 2000),
        available_at: sql<Date>`now() + ${`${backoff(attempt)} milliseconds`}::interval`,
      }).where('event_id', '=', claimed.eventId).execute();
      return true;
    }
  }

  async function drain(): Promise<number> {
    let n = 0;
    while (await one()) n++;
    return n;
  }

  const loop = async () => {
    if (stopped) return;
    running = drain().catch((e: unknown) => opts.logger?.error({ err: e }, 'outbox dispatcher failed'));
    await running;
    if (!stopped) timer = setTimeout(() => void loop(), opts.pollMs ?? 200);
  };

  return {
    drain,
    start() {
      if (!stopped) return;
      stopped = false;
      void loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
