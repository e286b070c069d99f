/** Benefits and rules endpoints (src/modules/benefits/routes.ts) through the one API client. */
import { request } from '../../api.ts';

export type UsedParameters = Record<string, { value: number | null; from: string | null }>;

export interface Offer {
  id: number;
  benefit: string;
  name: string;
  status: string;
  amountAzn: number;
  periodFrom: string;
  periodTo: string | null;
  ruleVersion: number;
  legalBasis: string;
  reason: string;
  parameters: UsedParameters;
}

export interface Assignment extends Offer {
  payment: string;
  endedReason: string | null;
}

export interface MyBenefits {
  offers: Offer[];
  assignments: Assignment[];
}

export interface TraceStep {
  condition: string;
  result: boolean | null;
  facts: Record<string, string | null>;
  parameters: { name: string; value: number | null; from: string | null; unconfirmed: boolean; sources?: { id: string; title: string; url?: string }[] }[];
  legal: string;
  explanation: string;
}

/** How the amount was worked out: the parameters of its formula (and the period's) with dates and sources. */
export interface AmountStep extends Omit<TraceStep, 'condition' | 'result'> {
  amountAzn: number | null;
}

export interface Explanation {
  citizenId: number;
  payment: 'one_off' | 'monthly';
  benefit: string;
  ruleVersion: number;
  name: string;
  legalBasis: string;
  date: string;
  subjects: {
    subjectKey: string;
    outcome: 'eligible' | 'not_eligible' | 'cannot_decide';
    amountAzn: number | null;
    evalDate: string;
    periodFrom: string | null;
    periodTo: string | null;
    missing: string[];
    trace: TraceStep[];
    amount: AmountStep | null;
  }[];
}

export interface RuleParameter {
  name: string;
  unit: string;
  description: string;
  values: { from: string; value: number; unconfirmed: boolean }[];
}

export interface Rule {
  id: string;
  name: string;
  legalBasis: string;
  consent: string;
  payment: string;
  subject: string;
  triggers: string[];
  versions: {
    version: number;
    effectiveFrom: string;
    effectiveTo: string | null;
    conditions: { id: string; legal: string; explanation: string }[];
    parameters: RuleParameter[];
  }[];
}

export interface Counts {
  gainers: number;
  losers: number;
  costChangeAzn: number;
}

export interface Simulation extends Counts {
  parameter: string;
  from: string;
  value: number;
  current: number | null;
  benefits: (Counts & { benefit: string })[];
  regions: (Counts & { region: string; name: string })[];
}

export const benefitsApi = {
  mine: () => request<MyBenefits>('/api/benefits/mine'),
  consent: (offerId: number) =>
    request<{ offerId: number; assignmentId: number; status: 'accepted' }>(`/api/benefits/offers/${offerId}/consent`, { method: 'POST' }),
  explain: (citizenId: number, benefit: string) => request<Explanation>('/api/benefits/explain', { query: { citizenId, benefit } }),
  rules: () => request<{ items: Rule[] }>('/api/rules'),
  simulate: (body: { parameter: string; value: number; from: string }) =>
    request<Simulation>('/api/rules/simulate', { method: 'POST', body }),
};

/** The link to the "why?" view of a benefit for a citizen. */
export const whyPath = (citizenId: number, benefit: string) => `/benefits/why?citizen=${citizenId}&benefit=${encodeURIComponent(benefit)}`;
