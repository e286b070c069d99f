/** Registry module: citizens, households and append-only life events. */
export { registryRoutes } from './routes.ts';
export { getCitizenSummaries, getPrefillValues, loadApplicant, assertMayReadCitizen, toCitizenSummary, type PrefillKey } from './service.ts';
export { CitizenSummary, LIFE_EVENT_TYPES, LifeEventData } from './schema.ts';
export { isFin, FIN_PATTERN } from './identifiers.ts';
