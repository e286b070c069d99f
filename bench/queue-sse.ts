/**
 * Display-board events (issue 4): latency from a call to the event arriving at 2,000 connected SSE
 * clients, and the fan-out rate against a bare loop writing the same bytes to the same sockets.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/queue-sse.ts --clients 2000
 *
 * The server side runs the queue's event hub (the code behind GET /api/queue/centers/:code/events:
 * one LISTEN, replay, fan-out) on a loopback HTTP server; the clients run in a child process so
 * they do not share the server's event loop. Phase 1: calls at 20/s through the queue service;
 * each event's latency is its arrival at each client minus the time of the call. Phase 2: a
 * burst of events NOTIFYed in one commit, fanned out by the hub, against the baseline — the same
 * process writing the same SSE bytes to the same sockets in a plain loop; the ratio compares the
 * time until every client has every event. Loopback only; bounded by --clients (≤ 5,000) and counts.
 */
import http from 'node:http';
import net from 'node:net';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { percentile, parseArgs, numberArg, openingHoursClock } from './lib.ts';

const args = parseArgs();
const CLIENTS = Math.min(5000, numberArg(args, 'clients', 2000));

if (args.has('client')) {
  // Light clients: raw sockets, the arrival time taken first, and the few bytes needed found with
  // Buffer.indexOf (no string decoding, no regular expressions), so what is measured is the
  // server's delivery rather than one process parsing 2,000 HTTP streams.
  const url = new URL(args.get('url')!);
  const latencies: number[] = [];
  let received = 0;
  let target = Infinity;
  let connected = 0;
  const send = (m: unknown) => process.send!(m);
  const BLOCK_END = Buffer.from('\n\n');
  const ID = Buffer.from('id: ');
  const AT = Buffer.from('"at":"');
  const CALLED = Buffer.from('"kind":"ticket.called"');
  const request = `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`;
  for (let i = 0; i < CLIENTS; i++) {
    let headerDone = false;
    let pending: Buffer | null = null;
    const sock = net.connect(Number(url.port), url.hostname, () => sock.write(request));
    sock.on('data', (chunk: Buffer) => {
      const now = performance.timeOrigin + performance.now();
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = null;
      if (!headerDone) {
        const h = buf.indexOf('\r\n\r\n');
        if (h < 0) { pending = buf; return; }
        headerDone = true;
        if (++connected === CLIENTS) send({ type: 'connected' });
        buf = buf.subarray(h + 4);
      }
      let start = 0;
      let k: number;
      while ((k = buf.indexOf(BLOCK_END, start)) >= 0) {
        // Chunked transfer encoding puts a size line before a block: look for the id inside it.
        const id = buf.indexOf(ID, start);
        if (id >= 0 && id < k) {
          received++;
          const c = buf.indexOf(CALLED, id);
          if (c >= 0 && c < k) {
            const a = buf.indexOf(AT, id);
            if (a >= 0 && a < k) latencies.push(now - Date.parse(buf.toString('latin1', a + AT.length, buf.indexOf(34, a + AT.length))));
          }
          if (received >= target) { target = Infinity; send({ type: 'done', at: now }); }
        }
        start = k + 2;
      }
      if (start < buf.length) pending = buf.subarray(start);
    });
    sock.on('error', (e) => send({ type: 'error', message: e.message }));
  }
  process.on('message', (m: { type: string; expect?: number }) => {
    if (m.type === 'expect') { received = 0; target = m.expect!; }
    if (m.type === 'latencies') send({ type: 'latencies', values: latencies.splice(0) });
    if (m.type === 'exit') process.exit(0);
  });
} else {
  const { createContext, prepareDatabase } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/platform/config.ts');
  const { createLogger } = await import('../src/platform/logger.ts');
  const queue = await import('../src/modules/queue/service.ts');
  const { QueueEventHub } = await import('../src/modules/queue/events.ts');
  const { createDatabase, databaseUrl, dropDatabase, machineInfo, printMachine } = await import('./lib.ts');
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('set DATABASE_URL to the PostgreSQL server');
  if (!['127.0.0.1', 'localhost', '::1'].includes(new URL(adminUrl).hostname)) throw new Error('loopback only');
  const name = `dost_bench_sse_${process.pid}`;
  await createDatabase(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  const CENTER = 'BAKU-1';
  try {
    printMachine(await machineInfo(adminUrl));
    const cfg = loadConfig({ ...process.env, DATABASE_URL: url, NODE_ENV: 'test' }, { databaseUrl: url });
    const database = await prepareDatabase(cfg, createLogger('warn'));
    const ctx = await createContext(cfg, database, createLogger('warn'), openingHoursClock());
    await queue.getOpenCenter(ctx, CENTER);
    const u = await ctx.db.insertInto('users').values({ username: 'bench-sse', display_name: 'bench', roles: ['admin'], password_hash: null }).returning('user_id').executeTakeFirstOrThrow();
    const actor = { userId: u.user_id, username: 'bench-sse', displayName: 'bench', roles: ['admin' as const], citizenId: null, centerCode: null, locale: 'en' as const };
    const hub = new QueueEventHub(ctx);
    const sockets: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      sockets.push(res);
      void hub.stream(res, CENTER, startId ?? 0);
    });
    server.maxConnections = CLIENTS + 10;
    const startId: number | undefined = (await queue.getBoard(ctx, CENTER)).lastEventId;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const child = fork(new URL(import.meta.url).pathname, ['--client', '--url', `http://127.0.0.1:${port}/events`, '--clients', String(CLIENTS)], { execArgv: ['--import', 'tsx'] });
    const next = (type: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (m.type === 'error') { child.off('message', on); reject(new Error(String(m.message))); }
        if (m.type === type) { child.off('message', on); resolve(m); }
      };
      child.on('message', on);
    });
    await next('connected');
    console.log(`${CLIENTS} SSE clients connected`);

    // Phase 1: latency of real calls (issue + call next), 20 calls/s for 10 s. Also timed where the
    // NOTIFY reaches this process, to split database from fan-out and client time.
    const atHub: number[] = [];
    await hub.subscribe(CENTER, (e) => { if (e.kind === 'ticket.called') atHub.push(performance.timeOrigin + performance.now() - Date.parse(e.at)); });
    const CALLS = 200;
    for (let i = 0; i < CALLS; i++) {
      await queue.issueTicket(ctx, actor, CENTER, { serviceCode: '99-01-01-00' });
      const r = await queue.callNextTicket(ctx, actor, CENTER, 1 + (i % 40));
      if (r.ticket) { await queue.actOnTicket(ctx, actor, r.ticket.id, 'serve'); await queue.actOnTicket(ctx, actor, r.ticket.id, 'finish'); }
      await new Promise((r2) => setTimeout(r2, 50));
    }
    await new Promise((r) => setTimeout(r, 1000));
    child.send({ type: 'latencies' });
    const lat = (await next('latencies')).values as number[];
    console.log(`call → NOTIFY at the server: p50 ${percentile(atHub, 50).toFixed(1)} ms, p99 ${percentile(atHub, 99).toFixed(1)} ms`);
    console.log(`call → event at client: ${lat.length} deliveries; p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms, max ${percentile(lat, 100).toFixed(1)} ms (goal p99 < 100 ms: ${percentile(lat, 99) < 100 ? 'met' : 'NOT met'})`);

    // Phase 2: fan-out of a burst vs a bare write loop to the same sockets.
    const BURST = 100;
    const board = await queue.getBoard(ctx, CENTER);
    const base = board.lastEventId + 1_000_000;
    const payloads = Array.from({ length: BURST }, (_, i) => JSON.stringify({ id: base + i, center: CENTER, kind: 'ticket.recalled', at: new Date().toISOString(), windowNo: 1, payload: { number: `A-${String(i).padStart(3, '0')}`, status: 'called', windowNo: 1 } }));
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    child.send({ type: 'expect', expect: BURST * CLIENTS });
    let t0 = performance.timeOrigin + performance.now();
    await raw.query('begin');
    for (const p of payloads) await raw.query('select pg_notify($1, $2)', ['queue_events', p]);
    t0 = performance.timeOrigin + performance.now();
    await raw.query('commit');
    const hubDone = (await next('done')).at as number;
    const hubMs = hubDone - t0;
    await raw.end();

    const bytes = payloads.map((p, i) => { const e = JSON.parse(p) as { kind: string }; return `id: ${base + BURST + i}\nevent: ${e.kind}\ndata: ${p}\n\n`; });
    child.send({ type: 'expect', expect: BURST * CLIENTS });
    await new Promise((r) => setTimeout(r, 200));
    const b0 = performance.timeOrigin + performance.now();
    for (const b of bytes) for (const s of sockets) s.write(b);
    const loopDone = (await next('done')).at as number;
    const loopMs = loopDone - b0;
    const total = BURST * CLIENTS;
    console.log(`fan-out of ${BURST} events to ${CLIENTS} clients (${total.toLocaleString('en-US')} deliveries): hub ${hubMs.toFixed(0)} ms (${Math.round(total / (hubMs / 1000)).toLocaleString('en-US')}/s, from COMMIT of the NOTIFYs); bare write loop ${loopMs.toFixed(0)} ms (${Math.round(total / (loopMs / 1000)).toLocaleString('en-US')}/s)`);
    console.log(`fan-out rate vs bare loop: ${(loopMs / hubMs).toFixed(2)}x (goal ≥ 0.8x: ${loopMs / hubMs >= 0.8 ? 'met' : 'NOT met'})`);
    child.send({ type: 'exit' });
    await hub.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await database.close();
  } finally {
    await dropDatabase(adminUrl, name);
  }
}
