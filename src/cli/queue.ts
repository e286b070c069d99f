import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from '../app.ts';
import { withContext } from './context.ts';
import { createUser } from '../modules/identity/index.ts';
import { planDay, replayDay, type QueueDriver } from '../modules/queue/simulate.ts';

const MAX_CITIZENS = 5000;

/** Options of `dost queue simulate`. */
export interface SimulateOptions {
  center: string;
  day: string;
  citizens?: number;
  windows?: number;
  seed: number;
  log?: (s: string) => void;
}

/**
 * Replays a realistic day at a center against the real HTTP API: the product is started on a
 * loopback port with a virtual clock set to the simulated day, a simulation user signs in, and
 * every ticket is issued, called, served and finished through the endpoints the kiosk and the
 * operator console use. Bounded: at most 5,000 citizens, only 127.0.0.1.
 */
export async function simulateQueueDay(opts: SimulateOptions) {
  const log = opts.log ?? ((s: string) => process.stdout.write(`${s}\n`));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.day)) throw new InvalidArgumentError('--day must be YYYY-MM-DD');
  let clock = new Date(`${opts.day}T08:50:00+04:00`);
  return withContext(async (ctx) => {
    const app = await createApp(ctx);
    const started = performance.now();
    try {
      const center = await ctx.db.selectFrom('centers').select(['center_code', 'status', 'windows', 'capacity_per_day']).where('center_code', '=', opts.center).executeTakeFirst();
      if (!center) throw new InvalidArgumentError(`unknown center ${opts.center}`);
      if (center.status !== 'open') throw new InvalidArgumentError(`center ${opts.center} is ${center.status}`);
      if (!ctx.calendar.isWorkingDay(opts.day)) throw new InvalidArgumentError(`${opts.day} is not a working day`);
      const existing = await ctx.db.selectFrom('queue_tickets').select('ticket_id').where('center_code', '=', opts.center).where('service_date', '=', opts.day).limit(1).executeTakeFirst();
      if (existing) throw new InvalidArgumentError(`${opts.center} already has tickets on ${opts.day}; pick another day`);
      const citizens = Math.min(MAX_CITIZENS, opts.citizens ?? center.capacity_per_day ?? 450);
      const windows = Math.min(center.windows, opts.windows ?? Math.max(2, Math.ceil(citizens / 45)));

      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const username = `queue-sim-${Date.now().toString(36)}`;
      const password = randomBytes(18).toString('base64url');
      await createUser(ctx, { username, displayName: 'Queue simulation', password, roles: ['center_manager', 'operator'], centerCode: opts.center });
      const call = async <T>(method: string, path: string, body?: unknown, token?: string): Promise<T> => {
        const res = await fetch(`${base}${path}`, {
          method, headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const { token } = await call<{ token: string }>('POST', '/api/auth/token', { username, password });
      const services = await call<{ serviceCode: string; counterMinutes: number }[]>('GET', `/api/queue/centers/${opts.center}/services`);
      // The most asked-for services first (pensions, TSA, disability, references…): the plan's mix is Zipf-like over this order.
      const mix = services.slice(0, 12).map((s) => ({ code: s.serviceCode, counterMinutes: s.counterMinutes }));
      const all = await call<{ windowNo: number }[]>('GET', `/api/queue/centers/${opts.center}/windows`, undefined, token);
      for (const w of all) {
        await call('PATCH', `/api/queue/centers/${opts.center}/windows/${w.windowNo}`, { isOpen: w.windowNo <= windows, skills: services.map((s) => s.serviceCode) }, token);
      }
      log(`Simulating ${opts.day} at ${opts.center}: ${citizens} citizens, ${windows} open windows, seed ${opts.seed}, API at ${base}`);

      const plan = planDay({ date: opts.day, seed: opts.seed, citizens, windows, services: mix });
      const driver: QueueDriver = {
        setClock: (at) => { clock = at; },
        issue: async (a) => {
          const r = await call<{ ticket: { id: number }; estimatedWaitMinutes: number | null }>('POST', `/api/queue/centers/${opts.center}/tickets`, { serviceCode: a.serviceCode, priority: a.priority }, token);
          return { id: r.ticket.id, estimatedWaitMinutes: r.estimatedWaitMinutes };
        },
        callNext: async (w) => (await call<{ ticket: { id: number } | null }>('POST', `/api/queue/centers/${opts.center}/windows/${w}/call-next`, undefined, token)).ticket,
        serve: async (id) => { await call('POST', `/api/queue/tickets/${id}/serve`, {}, token); },
        finish: async (id) => { await call('POST', `/api/queue/tickets/${id}/finish`, {}, token); },
        noShow: async (id) => { await call('POST', `/api/queue/tickets/${id}/no-show`, {}, token); },
      };
      const result = await replayDay(plan, driver, { maxEvents: MAX_CITIZENS * 4 });
      const report = await call<{ total: Record<string, number | null> }>('GET', `/api/queue/centers/${opts.center}/report?date=${opts.day}`, undefined, token);
      const err = result.tickets.filter((x) => x.calledAt !== null && x.estimatedWaitMinutes !== null)
        .map((x) => Math.abs((x.calledAt! - x.issuedAt) / 60_000 - x.estimatedWaitMinutes!));
      const mae = err.length ? err.reduce((a, b) => a + b, 0) / err.length : 0;
      const t = report.total;
      log(`  issued ${t.issued}, served ${t.served}, no-shows ${t.noShows}`);
      log(`  wait: mean ${t.avgWaitMinutes} min, p90 ${t.p90WaitMinutes} min; service: mean ${t.avgServiceMinutes} min, p90 ${t.p90ServiceMinutes} min`);
      log(`  wait estimate at issue: mean absolute error ${mae.toFixed(1)} min`);
      log(`  ${Math.round(performance.now() - started)} ms wall time`);
      return { result, report };
    } finally {
      await app.close();
    }
  }, { now: () => clock });
}

const positiveInt = (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('must be a positive whole number');
  return Number(v);
};

/** Adds `dost queue …` commands to the program. */
export function registerQueueCommands(program: Command): void {
  const queue = program.command('queue').description('The front-office queue');
  queue.command('simulate')
    .description('Replay a realistic day at a center (arrivals by hour, service mix) against the API on loopback, then print the day\'s figures')
    .requiredOption('--center <code>', 'center code, e.g. BAKU-1')
    .requiredOption('--day <date>', 'working day to simulate, YYYY-MM-DD (must have no tickets yet)')
    .option('--citizens <n>', `arrivals over the day (default: the center's capacity or 450; at most ${MAX_CITIZENS})`, positiveInt)
    .option('--windows <n>', 'open windows (default: one per 45 citizens)', positiveInt)
    .option('--seed <s>', 'random seed (same seed, same day)', positiveInt, 1)
    .action(async (o: { center: string; day: string; citizens?: number; windows?: number; seed: number }) => {
      await simulateQueueDay(o);
    });
}
