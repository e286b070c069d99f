/** Registry module: citizens, households and append-only life events. */
export { registryRoutes } from './routes.ts';
export { getCitizenSummaries, getPrefillValues, assertMayReadCitizen, toCitizenSummary, findCitizenIdByFin } from './service.ts';
export { prefillJson, type PrefillField } from './repository.ts';
export type { PrefillKey } from './schema.ts';
export { CitizenSummary, LIFE_EVENT_TYPES, LifeEventData } from './schema.ts';
export { isFin, FIN_PATTERN, FIN_INPUT_PATTERN, normalizeFin, parseFin } from './identifiers.ts';
export { householdRoutes } from './households-routes.ts';
export { householdIdOfCitizen, citizenIdByFin, changeHead, householdCodes, type HouseholdView, incomeErrors, recordIncomeDeclaration, getHousehold, createHousehold, addMember, endMember, declareIncome, type DeclareIncomeInput } from './households.ts';
