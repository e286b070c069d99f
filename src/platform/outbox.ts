import { sql } from 'kysely';
import { isDatabaseUnavailable, type Db } from './db.ts';
import type { DomainEvents, EventTopic } from './events.ts';
import type { Logger } from './logger.ts';
import type { Notifier } from './notify.ts';

/** One delivered event. */
export interface OutboxEvent<T extends EventTopic = EventTopic> { eventId: number; topic: T; payload: DomainEvents[T]; attempts: number }

/**
 * Handles one event inside the transaction that marks it processed, so its effects and the
 * mark commit together. Handlers must still be idempotent: a crash between claim and commit
 * redelivers the event.
 */
export type OutboxHandler<T extends EventTopic = EventTopic> = (trx: Db, event: OutboxEvent<T>) => Promise<void>;
export type OutboxHandlers = { [T in EventTopic]?: OutboxHandler<T> };
/**
 * Handles several events of one topic at once, inside the one transaction that marks them all
 * processed (set-based work per batch instead of per event). When a batch fails, its events are
 * retried one at a time through the single-event handler, so one bad event cannot hold back the
 * others and its failure is counted against it alone.
 */
export type OutboxBatchHandler<T extends EventTopic = EventTopic> = (trx: Db, events: OutboxEvent<T>[]) => Promise<void>;
export type OutboxBatchHandlers = { [T in EventTopic]?: OutboxBatchHandler<T> };

/** The channel an `outbox` INSERT notifies on (trigger in migrations/0010_benefits_perf.sql). */
export const OUTBOX_CHANNEL = 'outbox_event';

export interface OutboxDispatcherOptions {
  /** Wait between polls when the outbox is empty (ms); 200 by default, or 2,000 with a notifier (polling is then only a fallback). */
  pollMs?: number;
  /** Delay before retry n (1-based), ms: 1 s, 2 s, 4 s, … capped at 5 min by default. */
  backoffMs?: (attempt: number) => number;
  /** After this many failed attempts an event is parked (no longer retried); 10 by default. */
  maxAttempts?: number;
  /** Most events claimed per transaction; 1 by default (64 is a good value with batch handlers). */
  batchSize?: number;
  /** Batch handlers, used for topics that have one when more than one event of the topic is claimed. */
  batchHandlers?: OutboxBatchHandlers;
  /** Wakes the dispatcher as soon as an outbox row is committed (NOTIFY on {@link OUTBOX_CHANNEL}). */
  notifier?: Notifier;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

/** Delivers outbox events to in-process handlers. */
export interface OutboxDispatcher {
  /** Processes every event available now; returns how many were handled. */
  drain(): Promise<number>;
  /** Runs in the background until stopped: woken by NOTIFY when a notifier is given, polling otherwise (and as a fallback). */
  start(): void;
  stop(): Promise<void>;
}

const defaultBackoff = (n: number) => Math.min(300_000, 1000 * 2 ** (n - 1));

interface Row { event_id: number; topic: string; payload: unknown; attempts: number }
const toEvent = (row: Row): OutboxEvent => ({ eventId: row.event_id, topic: row.topic as EventTopic, payload: row.payload as never, attempts: row.attempts });

/**
 * The outbox consumer: claims the oldest pending events of handled topics with
 * `FOR UPDATE SKIP LOCKED` (several processes can run it), runs the handlers and marks the events
 * processed in the same transaction; on failure counts the attempt, records the error and makes
 * the event available again after a back-off.
 */
export function createOutboxDispatcher(db: Db, handlers: OutboxHandlers, opts: OutboxDispatcherOptions = {}): OutboxDispatcher {
  const topics = Object.keys(handlers);
  const backoff = opts.backoffMs ?? defaultBackoff;
  const maxAttempts = opts.maxAttempts ?? 10;
  const batchSize = Math.max(1, opts.batchSize ?? 1);
  const pollMs = opts.pollMs ?? (opts.notifier ? 2000 : 200);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  let woken = false;
  let unsubscribe: (() => void) | undefined;
  let offReconnect: (() => void) | undefined;
  let unavailableSince: number | undefined;

  const claim = (trx: Db, limit: number) => trx.selectFrom('outbox').select(['event_id', 'topic', 'payload', 'attempts'])
    .where('processed_at', 'is', null).where('available_at', '<=', sql<Date>`now()`).where('topic', 'in', topics)
    .where('attempts', '<', maxAttempts)
    .orderBy('event_id').limit(limit).forUpdate().skipLocked().execute();

  const markDone = (trx: Db, events: OutboxEvent[]) => trx.updateTable('outbox')
    .set({ processed_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1`, last_error: null })
    .where('event_id', 'in', events.map((e) => e.eventId)).execute();

  async function fail(event: OutboxEvent, e: unknown) {
    const attempt = event.attempts + 1;
    opts.logger?.warn({ eventId: event.eventId, topic: event.topic, attempt, err: e }, 'outbox handler failed');
    await db.updateTable('outbox').set({
      attempts: attempt, last_error: String((e as Error).message ?? e).slice(0, 2000),
      available_at: sql<Date>`now() + ${`${backoff(attempt)} milliseconds`}::interval`,
    }).where('event_id', '=', event.eventId).execute();
  }

  /** Handles one given event (or the oldest available one); false when none is available. */
  async function one(only?: OutboxEvent): Promise<boolean> {
    let claimed: OutboxEvent | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        const rows = only
          ? await trx.selectFrom('outbox').select(['event_id', 'topic', 'payload', 'attempts']).where('event_id', '=', only.eventId)
            .where('processed_at', 'is', null).forUpdate().skipLocked().execute()
          : await claim(trx, 1);
        if (!rows[0]) return false;
        claimed = toEvent(rows[0]);
        await (handlers[claimed.topic] as OutboxHandler)(trx, claimed);
        await markDone(trx, [claimed]);
        return true;
      });
    } catch (e) {
      // The database went away (restart, failover, cut): nothing was marked, the event is
      // redelivered once it is back and the lost connection is not counted against it.
      if (!claimed || isDatabaseUnavailable(e)) throw e;
      await fail(claimed, e);
      return true;
    }
  }

  /** Claims up to batchSize events and handles them in one transaction; returns how many were claimed. */
  async function batch(): Promise<number> {
    let claimed: OutboxEvent[] = [];
    try {
      return await db.transaction().execute(async (trx) => {
        claimed = (await claim(trx, batchSize)).map(toEvent);
        if (!claimed.length) return 0;
        const byTopic = new Map<EventTopic, OutboxEvent[]>();
        for (const e of claimed) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e]);
        for (const [topic, events] of byTopic) {
          const many = opts.batchHandlers?.[topic] as OutboxBatchHandler | undefined;
          if (many && events.length > 1) await many(trx, events);
          else for (const e of events) await (handlers[topic] as OutboxHandler)(trx, e);
        }
        await markDone(trx, claimed);
        return claimed.length;
      });
    } catch (e) {
      if (!claimed.length || isDatabaseUnavailable(e)) throw e;
      if (claimed.length === 1) {
        await fail(claimed[0]!, e);
        return 1;
      }
      // The batch rolled back: each event again on its own, so only a failing one is counted.
      opts.logger?.warn({ events: claimed.length, err: e }, 'outbox batch failed; retrying its events one by one');
      for (const ev of claimed) await one(ev);
      return claimed.length;
    }
  }

  async function drain(): Promise<number> {
    let n = 0;
    if (batchSize === 1) {
      while (await one()) n++;
      return n;
    }
    for (let k; (k = await batch()) > 0;) n += k;
    return n;
  }

  const loop = async () => {
    if (stopped) return;
    if (timer) { clearTimeout(timer); timer = undefined; }
    let down = false;
    do {
      woken = false;
      running = drain().then(() => {
        if (unavailableSince !== undefined) opts.logger?.warn({ downMs: Date.now() - unavailableSince }, 'outbox dispatcher: database back; resumed');
        unavailableSince = undefined;
      }, (e: unknown) => {
        if (!isDatabaseUnavailable(e)) return opts.logger?.error({ err: e }, 'outbox dispatcher failed');
        // An outage: keep polling (at least once a second) until the database answers again; log it once.
        down = true;
        if (unavailableSince === undefined) opts.logger?.warn({ err: { message: (e as Error).message, code: (e as { code?: string }).code } }, 'outbox dispatcher: database unavailable; retrying');
        unavailableSince ??= Date.now();
      });
      await running;
      running = undefined;
    } while (woken && !stopped && !down);
    if (!stopped) timer = setTimeout(() => void loop(), down ? Math.max(pollMs, 1000) : pollMs);
  };

  /** A commit notified: drain now, or once more after the drain in progress (its last claim may have missed the event). */
  const wake = () => {
    if (stopped) return;
    if (running) { woken = true; return; }
    void loop();
  };

  return {
    drain,
    start() {
      if (!stopped) return;
      stopped = false;
      if (opts.notifier) {
        void opts.notifier.subscribe(OUTBOX_CHANNEL, wake)
          .then((off) => { if (stopped) off(); else unsubscribe = off; wake(); })
          .catch((e: unknown) => opts.logger?.warn({ err: e }, 'outbox: LISTEN failed; polling only'));
        // Commits notified while the listener was reconnecting were missed: look once now.
        offReconnect = opts.notifier.onReconnect(wake);
      }
      void loop();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = undefined;
      offReconnect?.();
      offReconnect = undefined;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
