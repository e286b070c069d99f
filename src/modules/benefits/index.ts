/** Benefits module: proactive offers and assignments decided by the rules in src/rules. */
export { benefitsRoutes, registerBenefitsRoutes } from './routes.ts';
export {
  getRuleBook, sweep, applyRule, handleLifeEvent, explain, simulate, listRules, evaluateWithTrace, loadFacts, todayOf,
  handleLifeEvents, benefitsOutboxHandlers, benefitsOutboxBatchHandlers, benefitsDispatcherOptions, startBenefitsDispatcher, listCurrentBenefits,
  handleHouseholdChanged, type SweepResult, type FailedRule,
} from './service.ts';
export { findOpenDecision, type OpenDecision } from './current.ts';
