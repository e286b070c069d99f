/** Rules as code: the language, the benefits, the parameters, and the two compilations. */
export * from './language.ts';
export { RULES } from './benefits.ts';
export { ParameterSet, RulesLoadError, loadParameters, parseParameterFile, type LoadProblem, type Parameter, type ParameterSource, type ParameterValue } from './parameters.ts';
export { checkRules, loadRuleBook, type RuleBook } from './loader.ts';
export { evaluateRule, evalExpr, monthsBetweenDates, addMonthsToDate, addDaysToDate, roundCents, type AmountStep, type Evaluation, type Facts, type Outcome, type TraceStep, type UsedParameter, type Value } from './evaluate.ts';
export { Binder, factsQuery, factColumn, type SubjectFilter } from './facts.ts';
export { compileRule, compileExpr, type SqlDecisionRow } from './sql.ts';
