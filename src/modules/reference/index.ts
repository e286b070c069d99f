/** Reference data: the data files under data/ and loading them into their tables. */
export { readReferenceData, readDataFile, DATA_DIR, DataFileError, type ReferenceData } from './data-files.ts';
export { upsertReferenceData, countReferenceRows } from './repository.ts';
