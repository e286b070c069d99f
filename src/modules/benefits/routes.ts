import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { ErrorBody } from '../../platform/http/schemas.ts';
import { ConsentOut, ExplainOut, ExplainQuery, MyBenefitsOut, OfferParams, RulesOut, SimulateBody, SimulateOut } from './schema.ts';
import type { RuleBook } from '../../rules/index.ts';
import * as service from './service.ts';

/**
 * Proactive benefits: the citizen's offers and assignments, consent, "why?", the rules explorer
 * and the what-if simulator. The rules and parameters are loaded and checked here, so a broken
 * rule or parameter file stops the server at start.
 */
export const benefitsRoutes = (app: App, ctx: AppContext): Promise<void> => registerBenefitsRoutes(app, ctx, service.getRuleBook);

/** Registers the routes after loading the rules with `load`; rejects (and so stops the server) when they are broken. */
export async function registerBenefitsRoutes(app: App, ctx: AppContext, load: () => Promise<RuleBook>): Promise<void> {
  await load();

  app.get('/api/benefits/mine', {
    config: { auth: ['citizen'] },
    schema: { tags: ['benefits'], summary: 'My offers to confirm and my assignments, with reasons in my language', response: { 200: MyBenefitsOut, '4xx': ErrorBody } },
  }, async (req) => service.listMine(ctx, requireActor(req)));

  app.post('/api/benefits/offers/:id/consent', {
    config: { auth: ['citizen'] },
    schema: { tags: ['benefits'], summary: 'Confirm a proactive offer in one step; it becomes an assignment', params: OfferParams, response: { 200: ConsentOut, '4xx': ErrorBody } },
  }, async (req) => service.consentToOffer(ctx, requireActor(req), req.params.id));

  app.get('/api/benefits/explain', {
    config: { auth: ['citizen', 'officer', 'call_center_agent', 'admin'] },
    schema: { tags: ['benefits'], summary: 'Why: the evaluation trace of a benefit for a citizen (audited)', querystring: ExplainQuery, response: { 200: ExplainOut, '4xx': ErrorBody } },
  }, async (req) => service.explain(ctx, requireActor(req), req.query.citizenId, req.query.benefit));

  app.get('/api/rules', {
    config: { auth: ['officer', 'analyst', 'admin'] },
    schema: { tags: ['benefits'], summary: 'Every benefit rule with its versions, effective dates and parameters', response: { 200: RulesOut, '4xx': ErrorBody } },
  }, async (req) => service.listRules(requireActor(req).locale));

  app.post('/api/rules/simulate', {
    config: { auth: ['analyst', 'admin'] },
    schema: { tags: ['benefits'], summary: 'What if a parameter changed from a date: gainers, losers and cost by region', body: SimulateBody, response: { 200: SimulateOut, '4xx': ErrorBody } },
  }, async (req) => service.simulate(ctx, requireActor(req), req.body));
}
