import type { ServerResponse } from 'node:http';
import type { AppContext } from '../../platform/context.ts';
import { createNotifier, type Notifier } from '../../platform/notify.ts';
import * as repo from './repository.ts';

/** The NOTIFY channel the queue_events trigger announces every event on. */
export const QUEUE_CHANNEL = 'queue_events';
const REPLAY_LIMIT = 1000;
const HEARTBEAT_MS = 15_000;

/** An event as the display board receives it (SSE `data:`), never with personal data. */
export interface QueueEvent {
  id: number;
  center: string;
  kind: string;
  at: string;
  windowNo: number | null;
  payload: Record<string, unknown>;
}

/** One SSE frame: the event id (for Last-Event-ID), its kind as the event name, the JSON as data. */
const sseFrame = (e: QueueEvent) => `id: ${e.id}\nevent: ${e.kind}\ndata: ${JSON.stringify(e)}\n\n`;

/**
 * Fans queue events out to the SSE clients of this process: one LISTEN for the whole process,
 * then per center a set of open streams. Each stream first replays what it missed after its
 * Last-Event-ID from the queue_events table, then follows live notifications, skipping ids it
 * has already sent.
 */
export class QueueEventHub {
  private readonly streams = new Map<string, Set<(e: QueueEvent, frame: string) => void>>();
  private readonly open = new Set<ServerResponse>();
  private notifier: Notifier | undefined;
  private listening: Promise<void> | undefined;

  constructor(private readonly ctx: AppContext) {}

  private start(): Promise<void> {
    return (this.listening ??= (async () => {
      this.notifier = createNotifier(this.ctx.database, this.ctx.logger);
      // Events notified while the listener was reconnecting were missed: end the streams, so each
      // board reconnects (SSE retry) and replays from the table after its Last-Event-ID.
      this.notifier.onReconnect(() => { for (const res of this.open) res.end(); });
      await this.notifier.subscribe(QUEUE_CHANNEL, (payload) => {
        let e: QueueEvent;
        try {
          e = JSON.parse(payload) as QueueEvent;
        } catch {
          return;
        }
        const streams = this.streams.get(e.center);
        if (!streams || streams.size === 0) return;
        // Formatted once per event, whatever the number of clients.
        const frame = sseFrame(e);
        for (const send of streams) send(e, frame);
      });
    })().catch((err) => { this.listening = undefined; throw err; }));
  }

  /** Subscribes to a center's events in this process (used by the SSE stream and by tests). */
  async subscribe(center: string, fn: (e: QueueEvent, frame: string) => void): Promise<() => void> {
    await this.start();
    let set = this.streams.get(center);
    if (!set) this.streams.set(center, (set = new Set()));
    set.add(fn);
    return () => { set.delete(fn); };
  }

  /** Serves one SSE stream on a raw response (the route has hijacked it). */
  async stream(res: ServerResponse, center: string, lastEventId: number): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff',
    });
    res.write('retry: 2000\n\n');
    this.open.add(res);
    let sent = lastEventId;
    let replaying = true;
    const buffered: [QueueEvent, string][] = [];
    const write = (e: QueueEvent, frame: string) => {
      if (e.id <= sent) return;
      sent = e.id;
      res.write(frame);
    };
    const unsubscribe = await this.subscribe(center, (e, frame) => (replaying ? buffered.push([e, frame]) : write(e, frame)));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const stop = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    res.on('close', stop);
    try {
      // Catch up from the table, in pages, then hand over to the live feed.
      for (;;) {
        const rows = await repo.listEventsAfter(this.ctx.db, center, sent, REPLAY_LIMIT);
        for (const r of rows) {
          const e: QueueEvent = { id: r.event_id, center, kind: r.kind, at: r.at.toISOString(), windowNo: r.window_no, payload: r.payload };
          write(e, sseFrame(e));
        }
        if (rows.length < REPLAY_LIMIT) break;
      }
    } catch (e) {
      this.ctx.logger.warn({ err: e }, 'queue event replay failed');
      res.end();
      return;
    }
    replaying = false;
    for (const [e, frame] of buffered.splice(0)) write(e, frame);
  }

  /** Ends every open stream and stops listening (the server is shutting down). */
  async close(): Promise<void> {
    for (const res of this.open) res.end();
    this.open.clear();
    this.streams.clear();
    await this.notifier?.close();
  }
}
