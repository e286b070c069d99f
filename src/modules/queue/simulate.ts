import type { Priority } from './schema.ts';

/**
 * A realistic day at a center, generated from a seed: arrivals by hour (a morning peak, a dip at
 * lunch), a service mix skewed to a few common services, priorities and no-shows, and service
 * times around each service's counter time. Replayed by `dost queue simulate` against the API
 * and by the wait-estimate test through the services, with a virtual clock.
 */
export interface DayPlan {
  date: string;
  windows: number;
  arrivals: { at: Date; serviceCode: string; priority: Exclude<Priority, 'appointment'>; serviceMinutes: number; noShow: boolean }[];
}

/** Share of the day's arrivals in each hour from 09:00 to 17:00 (DOST centers open 09:00–18:00). */
const HOURLY = [0.09, 0.15, 0.15, 0.12, 0.08, 0.11, 0.12, 0.11, 0.07];

/** Small deterministic PRNG (mulberry32), so a seed gives the same day everywhere. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the day: `citizens` arrivals spread over the opening hours of `date` (Baku time). */
export function planDay(opts: { date: string; seed: number; citizens: number; windows: number; services: { code: string; counterMinutes: number }[] }): DayPlan {
  const rnd = prng(opts.seed);
  // Zipf-like mix: the first services in the list are the common ones.
  const weights = opts.services.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = rnd() * total;
    for (let i = 0; i < weights.length; i++) if ((x -= weights[i]!) <= 0) return opts.services[i]!;
    return opts.services[opts.services.length - 1]!;
  };
  const open = new Date(`${opts.date}T09:00:00+04:00`).getTime();
  const arrivals: DayPlan['arrivals'] = [];
  HOURLY.forEach((share, h) => {
    const n = Math.round(opts.citizens * share);
    for (let i = 0; i < n; i++) {
      const s = pick();
      const p = rnd();
      // Service time: counter time times a factor between 0.5 and 1.7 (mean ~1).
      const factor = 0.5 + rnd() * 0.6 + rnd() * 0.6;
      arrivals.push({
        at: new Date(open + (h + rnd()) * 3600_000),
        serviceCode: s.code,
        priority: p < 0.04 ? 'disability' : p < 0.16 ? 'elderly' : 'normal',
        serviceMinutes: Math.max(2, Math.max(1, s.counterMinutes) * factor),
        noShow: rnd() < 0.03,
      });
    }
  });
  arrivals.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { date: opts.date, windows: opts.windows, arrivals };
}

/** What a replay needs from the queue, whatever the transport (service calls or HTTP). */
export interface QueueDriver {
  /** Moves the virtual clock the server sees. */
  setClock(at: Date): void;
  issue(a: DayPlan['arrivals'][number]): Promise<{ id: number; estimatedWaitMinutes: number | null }>;
  callNext(windowNo: number): Promise<{ id: number } | null>;
  serve(id: number): Promise<void>;
  finish(id: number): Promise<void>;
  noShow(id: number): Promise<void>;
}

/** The outcome of a replay: per ticket its estimate and actual wait. */
export interface ReplayResult {
  tickets: { id: number; issuedAt: number; calledAt: number | null; estimatedWaitMinutes: number | null }[];
  served: number;
  noShows: number;
}

/**
 * Replays a day as a discrete-event simulation: arrivals take tickets, each window calls the next
 * ticket as soon as it is free, the citizen reaches the window in 30 s (or never: no-show after
 * 2 minutes) and is served for their service time. Windows 1..plan.windows are used.
 */
export async function replayDay(plan: DayPlan, d: QueueDriver, limits: { maxEvents?: number } = {}): Promise<ReplayResult> {
  const byId = new Map<number, ReplayResult['tickets'][number] & { arrival: DayPlan['arrivals'][number] }>();
  const freeAt = Array.from({ length: plan.windows }, () => 0);
  const idle = new Set(Array.from({ length: plan.windows }, (_, i) => i + 1));
  const busyUntil: { windowNo: number; at: number; id: number; noShow: boolean }[] = [];
  let next = 0;
  let served = 0;
  let noShows = 0;
  let events = 0;
  const maxEvents = limits.maxEvents ?? 100_000;
  const callIdle = async (now: number) => {
    for (const w of [...idle].sort((a, b) => a - b)) {
      d.setClock(new Date(now));
      const t = await d.callNext(w);
      if (!t) break;
      const rec = byId.get(t.id);
      if (!rec) continue;
      rec.calledAt = now;
      idle.delete(w);
      if (rec.arrival.noShow) busyUntil.push({ windowNo: w, at: now + 120_000, id: t.id, noShow: true });
      else {
        d.setClock(new Date(now + 30_000));
        await d.serve(t.id);
        busyUntil.push({ windowNo: w, at: now + 30_000 + rec.arrival.serviceMinutes * 60_000, id: t.id, noShow: false });
      }
    }
  };
  while ((next < plan.arrivals.length || busyUntil.length > 0) && events++ < maxEvents) {
    busyUntil.sort((a, b) => a.at - b.at);
    const arrivalAt = next < plan.arrivals.length ? plan.arrivals[next]!.at.getTime() : Infinity;
    const freeNext = busyUntil[0]?.at ?? Infinity;
    if (arrivalAt <= freeNext) {
      const a = plan.arrivals[next++]!;
      d.setClock(a.at);
      const r = await d.issue(a);
      byId.set(r.id, { id: r.id, issuedAt: arrivalAt, calledAt: null, estimatedWaitMinutes: r.estimatedWaitMinutes, arrival: a });
      await callIdle(arrivalAt);
    } else {
      const b = busyUntil.shift()!;
      d.setClock(new Date(b.at));
      if (b.noShow) { await d.noShow(b.id); noShows++; } else { await d.finish(b.id); served++; }
      freeAt[b.windowNo - 1] = b.at;
      idle.add(b.windowNo);
      await callIdle(b.at);
    }
  }
  return { tickets: [...byId.values()].map(({ arrival: _a, ...t }) => t), served, noShows };
}
