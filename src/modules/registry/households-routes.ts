import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/server.ts';
import { requireActor } from '../../platform/http/server.ts';
import { ErrorBody, Id, IsoDate, Line, Num } from '../../platform/http/schemas.ts';
import * as households from './households.ts';
import { HOUSEHOLD_ROLES } from './households.ts';

const Code = Line({ minLength: 1, maxLength: 40 });
const HouseholdParams = Type.Object({ householdId: Id() });
const MemberParams = Type.Object({ householdId: Id(), citizenId: Id() });

const HouseholdOut = Type.Object({
  id: Type.Integer(), districtCode: Type.String(), address: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(),
  members: Type.Array(Type.Object({
    citizenId: Type.Integer(), fin: Type.String(), lastName: Type.String(), firstName: Type.String(), patronymic: Type.Union([Type.String(), Type.Null()]),
    birthDate: Type.String(), deathDate: Type.Union([Type.String(), Type.Null()]),
    relation: Type.String(), relationName: Type.String(), joinedOn: Type.String(), leftOn: Type.Union([Type.String(), Type.Null()]), current: Type.Boolean(),
  })),
  declarations: Type.Array(Type.Object({
    id: Type.Integer(), monthlyIncomeAzn: Type.Number(), periodFrom: Type.Union([Type.String(), Type.Null()]), periodTo: Type.Union([Type.String(), Type.Null()]),
    source: Type.String(), sourceName: Type.String(), declaredOn: Type.String(), createdAt: Type.String(),
  })),
});

const auth = { auth: [...HOUSEHOLD_ROLES] };
const tags = ['registry'];

/** Households: create, members joining, moving and leaving, head changes, income declarations. */
export function householdRoutes(app: App, ctx: AppContext): void {
  app.get('/api/households/:householdId', {
    config: auth,
    schema: { tags, summary: 'A household with its members (current and past) and income declarations (audited)', params: HouseholdParams, response: { 200: HouseholdOut, '4xx': ErrorBody } },
  }, async (req) => households.getHousehold(ctx, requireActor(req), req.params.householdId));

  app.post('/api/households', {
    config: auth,
    schema: {
      tags, summary: 'Register a household with its head (a head in another household moves)',
      body: Type.Object({ districtCode: Code, address: Line({ minLength: 1, maxLength: 300 }), headCitizenId: Id(), from: Type.Optional(IsoDate()) }, { additionalProperties: false }),
      response: { 201: HouseholdOut, '4xx': ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(await households.createHousehold(ctx, requireActor(req), req.body)));

  app.post('/api/households/:householdId/members', {
    config: auth,
    schema: {
      tags, summary: 'Add a member (a citizen in another open household is moved: that membership ends the same day)', params: HouseholdParams,
      body: Type.Object({ citizenId: Id(), relation: Code, from: IsoDate() }, { additionalProperties: false }),
      response: { 201: HouseholdOut, '4xx': ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(await households.addMember(ctx, requireActor(req), req.params.householdId, req.body)));

  app.post('/api/households/:householdId/members/:citizenId/end', {
    config: auth,
    schema: {
      tags, summary: 'End a membership (the head leaving others behind names a new head)', params: MemberParams,
      body: Type.Object({ on: IsoDate(), newHeadCitizenId: Type.Optional(Id()) }, { additionalProperties: false }),
      response: { 200: HouseholdOut, '4xx': ErrorBody },
    },
  }, async (req) => households.endMember(ctx, requireActor(req), req.params.householdId, req.params.citizenId, req.body));

  app.post('/api/households/:householdId/head', {
    config: auth,
    schema: {
      tags, summary: 'Name another current member head of household', params: HouseholdParams,
      body: Type.Object({ citizenId: Id(), on: IsoDate(), formerHeadRelation: Code }, { additionalProperties: false }),
      response: { 200: HouseholdOut, '4xx': ErrorBody },
    },
  }, async (req) => households.changeHead(ctx, requireActor(req), req.params.householdId, req.body));

  app.post('/api/households/:householdId/income-declarations', {
    config: auth,
    schema: {
      tags, summary: 'Record a declaration of the household\'s average monthly income over a period', params: HouseholdParams,
      body: Type.Object({ monthlyIncomeAzn: Num({ maximum: 1e9 }), periodFrom: IsoDate(), periodTo: IsoDate(), source: Code, declaredOn: IsoDate() }, { additionalProperties: false }),
      response: { 201: HouseholdOut, '4xx': ErrorBody },
    },
  }, async (req, reply) => reply.status(201).send(await households.declareIncome(ctx, requireActor(req), req.params.householdId, req.body)));
}
