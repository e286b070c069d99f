import pg from 'pg';
import { isDatabaseUnavailable, serverConnectionOptions, type Database } from './db.ts';
import type { Logger } from './logger.ts';

/** A handler for the payloads (text) NOTIFY sends on a channel. */
export type NotifyHandler = (payload: string) => void;

/**
 * LISTEN/NOTIFY fan-out for one process: one database listener per channel however many
 * subscribers (SSE clients) there are. On a server it holds one dedicated `pg` client outside the
 * pool (LISTEN is per session), checks it with a heartbeat and, when it drops, reconnects with a
 * back-off for as long as the server is away, LISTENs again and calls the `onReconnect`
 * handlers; on PGlite it uses `pglite.listen`, which delivers notifications in-process. Every API process behind a load
 * balancer runs its own, so all of them see every event committed by any of them.
 */
export interface Notifier {
  /**
   * Subscribes to a channel; the returned function unsubscribes. On a server that cannot be
   * reached the subscription still stands: it is listened to once the connection is back.
   */
  subscribe(channel: string, handler: NotifyHandler): Promise<() => void>;
  /**
   * Called after the listening connection was lost and is back (server restart, failover,
   * network cut): notifications sent meanwhile were missed, so subscribers re-read what they follow.
   */
  onReconnect(fn: () => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 2000;
/** The listening connection runs `select 1` this often; no answer within the timeout counts as lost. */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5000;

/** Creates the notifier for an open database (see {@link Notifier}). */
export function createNotifier(database: Database, logger?: Logger): Notifier {
  const handlers = new Map<string, Set<NotifyHandler>>();
  const reconnectListeners = new Set<() => void>();
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
      // The embedded engine is in this process: its listener is never lost.
      onReconnect: () => () => undefined,
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
  const connectionString = (pool as unknown as { options: { connectionString: string } }).options.connectionString;
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = RETRY_MIN_MS;
  let heartbeat: NodeJS.Timeout | undefined;
  let retryFailures = 0;

  /** The connection `c` is gone (error, end, or a heartbeat without answer): drop it and reconnect. */
  const lost = (c: pg.Client, e: unknown) => {
    if (lostClients.has(c)) return;
    lostClients.add(c);
    if (client === c) {
      client = undefined;
      clearInterval(heartbeat);
      heartbeat = undefined;
      if (!closed) logger?.warn({ err: { message: (e as Error).message, code: (e as { code?: string }).code } }, 'notify connection lost; reconnecting');
    }
    c.end().catch(() => undefined);
    scheduleReconnect();
  };
  const lostClients = new WeakSet<pg.Client>();

  /** Retries the connection with a back-off (250 ms doubling to 2 s) until it is up or the notifier closes. */
  const scheduleReconnect = () => {
    if (closed || retryTimer || client || handlers.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((e: unknown) => {
        // One line per outage, not one per attempt; the pool's own requests report the outage too.
        if (retryFailures++ === 0) logger?.warn({ err: { message: (e as Error).message, code: (e as { code?: string }).code } }, 'notify: database unreachable; retrying');
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
        scheduleReconnect();
      });
    }, retryMs);
    retryTimer.unref();
  };

  const open = async (): Promise<pg.Client> => {
    // query_timeout bounds LISTEN and the heartbeat, so a silent (cut) network is noticed.
    const c = new pg.Client({ ...serverConnectionOptions(connectionString), query_timeout: HEARTBEAT_TIMEOUT_MS });
    c.on('notification', (n) => { if (n.payload !== undefined) dispatch(n.channel, n.payload); });
    c.on('error', (e) => lost(c, e));
    c.on('end', () => lost(c, new Error('Connection terminated')));
    try {
      await c.connect();
      for (const ch of handlers.keys()) await c.query(`LISTEN ${ch}`);
      if (closed) throw new Error('notifier closed');
    } catch (e) {
      lostClients.add(c);
      c.end().catch(() => undefined);
      throw e;
    }
    client = c;
    retryMs = RETRY_MIN_MS;
    if (retryFailures > 0) logger?.warn({ attempts: retryFailures }, 'notify connection restored');
    retryFailures = 0;
    heartbeat = setInterval(() => { c.query('select 1').catch((e: unknown) => lost(c, e)); }, HEARTBEAT_MS);
    heartbeat.unref();
    const reconnected = everConnected;
    everConnected = true;
    // Notifications sent while no connection listened are lost: tell those who must catch up.
    if (reconnected) for (const fn of [...reconnectListeners]) {
      try {
        fn();
      } catch (err) {
        logger?.warn({ err }, 'notify reconnect handler failed');
      }
    }
    return c;
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    return (connecting ??= open().finally(() => { connecting = undefined; }));
  };

  return {
    async subscribe(channel, handler) {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        try {
          const c = await connect();
          await c.query(`LISTEN ${channel}`);
        } catch (e) {
          // The server is down: the subscription stands and is LISTENed to as soon as it is back.
          if (!isDatabaseUnavailable(e)) {
            if (set.size === 0) handlers.delete(channel);
            throw e;
          }
          scheduleReconnect();
        }
      }
      set.add(handler);
      return () => { set.delete(handler); };
    },
    onReconnect(fn) {
      reconnectListeners.add(fn);
      return () => { reconnectListeners.delete(fn); };
    },
    async close() {
      closed = true;
      handlers.clear();
      reconnectListeners.clear();
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const c = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      if (c) lostClients.add(c);
      await c?.end().catch(() => undefined);
    },
  };
}
