/**
 * Property (issue 9): a noisy history — resends (same facts, another source id), a wrong original
 * then its correction, a spurious event then its cancellation — arriving in random order and
 * handled by the real dispatcher (one by one and in batches) and a sweep, leaves every citizen with
 * exactly the decisions the clean history gives. Decisions ended because their basis was cancelled
 * (flagged for recovery) are the trace of the spurious events and are left out of the comparison.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { createCitizen } from '../../test/factories.ts';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../platform/outbox.ts';
import { publishEvent } from '../../platform/events.ts';
import type { RuleBook } from '../../rules/index.ts';
import { benefitsOutboxBatchHandlers, benefitsOutboxHandlers, getRuleBook, sweep, todayOf } from './service.ts';

let t: TestApp;
let rb: RuleBook;
let one: OutboxDispatcher;
let batched: OutboxDispatcher;
before(async () => {
  t = await createTestApp();
  rb = await getRuleBook();
  one = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now));
  batched = createOutboxDispatcher(t.ctx.db, benefitsOutboxHandlers(t.ctx.now), { batchSize: 64, batchHandlers: benefitsOutboxBatchHandlers(t.ctx.now) });
  t.setNow('2026-05-10T08:00:00Z');
});
after(() => t.close());

type Kind = 'original' | 'correction' | 'cancellation';
/** A clean fact: a birth (role of the child; mother is the next role) or a disability assessment. */
type Fact = { type: 'birth'; day: number } | { type: 'disability_assessment'; degree: 1 | 2 | 3 };
interface Person { fact: Fact | null; resend: boolean; wrongFirst: boolean; spurious: boolean }

const person = fc.record({
  fact: fc.option(fc.oneof(
    fc.record({ type: fc.constant('birth' as const), day: fc.integer({ min: 1, max: 28 }) }),
    fc.record({ type: fc.constant('disability_assessment' as const), degree: fc.constantFrom(1 as const, 2 as const, 3 as const) }),
  ), { nil: null }),
  resend: fc.boolean(), wrongFirst: fc.boolean(), spurious: fc.boolean(),
});

/** One world's citizens: per person a subject citizen (child or assessed person) and a mother. */
async function makeWorld(n: number) {
  const out: { subject: number; mother: number }[] = [];
  for (let i = 0; i < n; i++) {
    const mother = (await createCitizen(t.ctx.db, { birth_date: '1985-03-03', sex: 'F' })).citizen_id;
    const subject = (await createCitizen(t.ctx.db, { birth_date: '2026-04-01' })).citizen_id;
    out.push({ subject, mother });
  }
  return out;
}

const dataOf = (f: Fact, w: { mother: number }) => (f.type === 'birth' ? { motherCitizenId: w.mother } : { degree: f.degree, percent: 70 });
const dateOf = (f: Fact) => (f.type === 'birth' ? `2026-04-${String(f.day).padStart(2, '0')}` : '2026-05-01');

async function arrive(citizenId: number, type: string, occurredOn: string, data: Record<string, unknown>, kind: Kind, supersedes: number | null) {
  return t.ctx.db.transaction().execute(async (trx) => {
    const e = await trx.insertInto('life_events').values({
      citizen_id: citizenId, type, occurred_on: occurredOn, source: 'civil_registry', data: JSON.stringify(data), kind,
      source_system: 'civil_registry', source_event_id: crypto.randomUUID(), supersedes_event_id: supersedes,
    }).returning('event_id').executeTakeFirstOrThrow();
    if (kind === 'original' && Math.random() < 0.5) {
      await publishEvent(trx, 'registry.life_event.recorded', { citizenId, eventId: e.event_id, type, occurredOn });
    } else {
      await publishEvent(trx, 'registry.life_events.recorded', { events: [{ citizenId, eventId: e.event_id, type, occurredOn, kind }] });
    }
    return e.event_id;
  });
}

/** Each world's decisions, with citizen ids replaced by the person's index. */
async function decisions(world: { subject: number; mother: number }[]) {
  const role = new Map<number, string>();
  world.forEach((w, i) => { role.set(w.subject, `s${i}`); role.set(w.mother, `m${i}`); });
  const ids = [...role.keys()];
  const subj = (k: string) => k.replace(/\d+$/, (d) => role.get(Number(d)) ?? d);
  const a = await t.ctx.db.selectFrom('benefit_assignments').selectAll().where('citizen_id', 'in', ids).execute();
  const o = await t.ctx.db.selectFrom('benefit_offers').selectAll().where('citizen_id', 'in', ids).where('status', '=', 'pending').execute();
  return [
    ...a.filter((x) => x.ended_reason !== 'basis_cancelled')
      .map((x) => `A ${role.get(x.citizen_id)} ${x.benefit_id} ${subj(x.subject_key)} ${x.amount_azn} ${x.period_from} ${x.period_to} ${x.status}`),
    ...o.map((x) => `O ${role.get(x.citizen_id)} ${x.benefit_id} ${subj(x.subject_key)} ${x.amount_azn} ${x.period_from} ${x.period_to}`),
  ].sort();
}

test('a noisy history ends with the decisions of the clean one', async () => {
  let decided = 0;
  await fc.assert(fc.asyncProperty(fc.array(person, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), fc.integer({ min: 0, max: 1_000_000 }),
    async (people, drains, seed) => {
      const clean = await makeWorld(people.length);
      const noisy = await makeWorld(people.length);
      // The clean history: each fact once, handled as it arrives.
      for (const [i, p] of people.entries()) {
        if (!p.fact) continue;
        await arrive(clean[i]!.subject, p.fact.type, dateOf(p.fact), dataOf(p.fact, clean[i]!), 'original', null);
      }
      await batched.drain();
      await sweep(t.ctx.db, rb, todayOf(t.ctx));
      // The noisy one: per person a chain of arrivals (in order within the chain), chains interleaved at random.
      type Step = (prev: number | null) => Promise<number>;
      const chains: Step[][] = [];
      for (const [i, p] of people.entries()) {
        const w = noisy[i]!;
        const f = p.fact;
        if (f) {
          const chain: Step[] = [];
          if (p.wrongFirst) {
            const wrong: Fact = f.type === 'birth' ? f : { type: f.type, degree: f.degree === 3 ? 1 : ((f.degree + 1) as 2 | 3) };
            chain.push(() => arrive(w.subject, wrong.type, dateOf(wrong), dataOf(wrong, w), 'original', null));
            chain.push((prev) => arrive(w.subject, f.type, dateOf(f), dataOf(f, w), 'correction', prev));
          } else chain.push(() => arrive(w.subject, f.type, dateOf(f), dataOf(f, w), 'original', null));
          chains.push(chain);
          if (p.resend) chains.push([() => arrive(w.subject, f.type, dateOf(f), dataOf(f, w), 'original', null)]);
        } else if (p.spurious) {
          const s: Fact = { type: 'birth', day: 5 };
          chains.push([() => arrive(w.subject, s.type, dateOf(s), dataOf(s, w), 'original', null), (prev) => arrive(w.subject, s.type, dateOf(s), {}, 'cancellation', prev)]);
        }
      }
      let rnd = seed;
      const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648);
      const last: (number | null)[] = chains.map(() => null);
      const pos = chains.map(() => 0);
      let k = 0;
      while (pos.some((p, i) => p < chains[i]!.length)) {
        const open = chains.map((_, i) => i).filter((i) => pos[i]! < chains[i]!.length);
        const c = open[next() % open.length]!;
        last[c] = await chains[c]![pos[c]!]!(last[c]!);
        pos[c]!++;
        if (drains[k++ % drains.length]) await (next() % 2 ? one : batched).drain();
      }
      await batched.drain();
      await sweep(t.ctx.db, rb, todayOf(t.ctx));
      const failed = await t.ctx.db.selectFrom('outbox').select('last_error').where('last_error', 'is not', null).execute();
      assert.deepEqual(failed, []);
      const expected = await decisions(clean);
      decided += expected.length;
      assert.deepEqual(await decisions(noisy), expected);
    }), { numRuns: 15 });
  assert.ok(decided > 0, 'the histories led to some decisions');
});
