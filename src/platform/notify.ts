import pg from 'pg';
import type { Database } from './db.ts';
import type { Logger } from './logger.ts';

/** A handler for the payloads (text) NOTIFY sends on a channel. */
export type NotifyHandler = (payload: string) => void;

/**
 * LISTEN/NOTIFY fan-out for one process: one database listener per channel however many
 * subscribers (SSE clients) there are. On a server it holds one dedicated `pg` client outside the
 * pool (LISTEN is per session) and reconnects when the connection drops; on PGlite it uses
 * `pglite.listen`, which delivers notifications in-process. Every API process behind a load
 * balancer runs its own, so all of them see every event committed by any of them.
 */
export interface Notifier {
  /** Subscribes to a channel; the returned function unsubscribes. */
  subscribe(channel: string, handler: NotifyHandler): Promise<() => void>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the notifier for an open database (see {@link Notifier}). */
export function createNotifier(database: Database, logger?: Logger): Notifier {
  const handlers = new Map<string, Set<NotifyHandler>>();
  let closed = false;

  const dispatch = (channel: string, payload: string) => {
    for (const h of handlers.get(channel) ?? []) {
      try {
        h(payload);
      } catch (e) {
        logger?.warn({ err: e, channel }, 'notify handler failed');
      }
    }
  };

  if (database.pglite) {
    const pglite = database.pglite;
    const unlisten = new Map<string, () => Promise<void>>();
    return {
      async subscribe(channel, handler) {
        if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
        let set = handlers.get(channel);
        if (!set) {
          handlers.set(channel, (set = new Set()));
          // Through the connection mutex, so LISTEN never runs inside another caller's transaction.
          const off = await database.withConnection(() => pglite.listen(channel, (p) => dispatch(channel, p)));
          unlisten.set(channel, off);
        }
        set.add(handler);
        return () => { set.delete(handler); };
      },
      async close() {
        closed = true;
        handlers.clear();
        if (pglite.closed) return;
        for (const off of unlisten.values()) await database.withConnection(() => off()).catch(() => undefined);
        unlisten.clear();
      },
    };
  }

  const pool = database.pool;
  if (!pool) throw new Error('notifier needs a PGlite instance or a pg pool');
  const connectionString = (pool as unknown as { options: { connectionString?: string } }).options.connectionString;
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    return (connecting ??= (async () => {
      const c = new pg.Client({ connectionString });
      c.on('notification', (n) => { if (n.payload !== undefined) dispatch(n.channel, n.payload); });
      c.on('error', (e) => {
        logger?.warn({ err: e }, 'notify connection lost; reconnecting');
        if (client === c) client = undefined;
        c.end().catch(() => undefined);
        if (!closed) setTimeout(() => { void connect().catch(() => undefined); }, 500).unref();
      });
      await c.connect();
      for (const ch of handlers.keys()) await c.query(`LISTEN ${ch}`);
      client = c;
      connecting = undefined;
      return c;
    })().catch((e) => { connecting = undefined; throw e; }));
  };

  return {
    async subscribe(channel, handler) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        const c = await connect();
        await c.query(`LISTEN ${channel}`);
      }
      set.add(handler);
      return () => { set.delete(handler); };
    },
    async close() {
      closed = true;
      handlers.clear();
      const c = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
