/**
 * Import benchmark: `dost import citizens` (importCitizens) against `psql \copy` of the same CSV
 * into the same table and indexes.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/import.ts --rows 1000000
 *
 * Flags: --rows N (1,000,000), --seed S (1), --repeat K (3; each repetition uses fresh databases
 * and alternates which side goes first), --batch B (rows per COPY batch of importCitizens).
 * Needs a PostgreSQL server (DATABASE_URL, a superuser for CHECKPOINT) and psql on the PATH.
 * Creates throw-away databases (migrated, with reference data) and drops them at the end; the
 * generated CSV is kept under bench/out/ and reused while the rows and seed stay the same.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/platform/db.ts';
import { migrate } from '../src/platform/migrate.ts';
import { readReferenceData } from '../src/modules/reference/data-files.ts';
import { upsertReferenceData } from '../src/modules/reference/repository.ts';
import { writePopulationCsv } from '../src/modules/registry/generate.ts';
import { importCitizens } from '../src/modules/registry/import.ts';
import { CITIZEN_COLUMNS } from '../src/modules/registry/csv.ts';
import {
  adminQuery, checkpoint, databaseUrl, dropDatabase, fmtInt, machineInfo, median, numberArg, parseArgs, printMachine, rate,
  ratioLine, run, time,
} from './lib.ts';

const TARGET_RATIO = 0.7;

async function main(): Promise<void> {
  const args = parseArgs();
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('bench/import.ts needs DATABASE_URL (a PostgreSQL server), e.g. postgres://postgres@127.0.0.1:5432/postgres');
    process.exit(2);
  }
  const rows = numberArg(args, 'rows', 1_000_000);
  const seed = numberArg(args, 'seed', 1);
  const repeat = Math.max(1, numberArg(args, 'repeat', 3));
  const batch = args.has('batch') ? numberArg(args, 'batch', 50_000) : undefined;

  const info = await machineInfo(url);
  printMachine(info);

  // 1. The CSV (deterministic, so it is reused when present with the same rows and seed).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'out');
  const dir = path.join(root, `import-${rows}-${seed}`);
  const file = path.join(dir, 'citizens.csv');
  let bytes = await stat(file).then((s) => s.size).catch(() => 0);
  if (bytes === 0) {
    const w = await writePopulationCsv({ citizens: rows, seed, out: dir });
    bytes = w.bytes;
    console.log(`generated ${fmtInt(rows)} rows (${(bytes / 1024 ** 2).toFixed(1)} MiB) in ${(w.durationMs / 1000).toFixed(1)} s: ${file}`);
  } else {
    console.log(`reusing ${file} (${(bytes / 1024 ** 2).toFixed(1)} MiB)`);
  }

  // 2. A template database, migrated and with reference data; every run clones it.
  const tag = `${process.pid}`;
  const template = `dost_bench_imp_tpl_${tag}`;
  const created: string[] = [template];
  await adminQuery(url, `create database ${template}`);
  try {
    const t = await openDatabase({ url: databaseUrl(url, template), poolSize: 2 });
    await migrate(t);
    await upsertReferenceData(t.db, await readReferenceData());
    await t.close();

    const psqlMs: number[] = [];
    const dostMs: number[] = [];
    for (let r = 0; r < repeat; r++) {
      const baseDb = `dost_bench_imp_psql_${tag}_${r}`;
      const dostDb = `dost_bench_imp_dost_${tag}_${r}`;
      created.push(baseDb, dostDb);
      await adminQuery(url, `create database ${baseDb} template ${template}`);
      await adminQuery(url, `create database ${dostDb} template ${template}`);

      const runPsql = async () => {
        await checkpoint(url);
        const cols = CITIZEN_COLUMNS.join(',');
        const { ms } = await time(() =>
          run('psql', [databaseUrl(url, baseDb), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c',
            `\\copy citizens(${cols}) from '${file.replace(/'/g, "''")}' csv header`]),
        );
        psqlMs.push(ms);
        return ms;
      };
      const runDost = async () => {
        await checkpoint(url);
        const d = await openDatabase({ url: databaseUrl(url, dostDb), poolSize: 2 });
        try {
          const { result, ms } = await time(() => importCitizens(d, createReadStream(file, { highWaterMark: 1 << 20 }), { batchSize: batch }));
          if (result.imported !== rows || result.errors.length > 0) {
            throw new Error(`importCitizens imported ${result.imported} of ${rows} (${result.errors.length} errors, first: ${result.errors[0]?.message})`);
          }
          dostMs.push(ms);
          return ms;
        } finally {
          await d.close();
        }
      };
      // Alternate the order so neither side always runs on a warmer (or more loaded) server.
      const [a, b] = r % 2 === 0 ? [runPsql, runDost] : [runDost, runPsql];
      await a();
      await b();
      const count = async (db: string) => {
        const c = new pg.Client({ connectionString: databaseUrl(url, db) });
        await c.connect();
        const n = Number((await c.query<{ n: string }>('select count(*) as n from citizens')).rows[0]!.n);
        await c.end();
        return n;
      };
      const [nb, nd] = [await count(baseDb), await count(dostDb)];
      if (nb !== rows || nd !== rows) throw new Error(`row counts differ: psql ${nb}, dost ${nd}, expected ${rows}`);
      const p = psqlMs[psqlMs.length - 1]!;
      const d = dostMs[dostMs.length - 1]!;
      console.log(
        `run ${r + 1}/${repeat}: psql \\copy ${(p / 1000).toFixed(2)} s (${fmtInt(rate(rows, p))} rows/s), ` +
          `importCitizens ${(d / 1000).toFixed(2)} s (${fmtInt(rate(rows, d))} rows/s), ratio ${(p / d).toFixed(2)}x`,
      );
      await dropDatabase(url, baseDb);
      await dropDatabase(url, dostDb);
    }

    const p = median(psqlMs);
    const d = median(dostMs);
    const ratios = psqlMs.map((x, i) => x / dostMs[i]!);
    console.log('');
    console.log(`rows: ${fmtInt(rows)}, CSV ${(bytes / 1024 ** 2).toFixed(1)} MiB, ${repeat} run(s), medians:`);
    console.log(`  psql \\copy (baseline): ${(p / 1000).toFixed(2)} s, ${fmtInt(rate(rows, p))} rows/s`);
    console.log(`  importCitizens:        ${(d / 1000).toFixed(2)} s, ${fmtInt(rate(rows, d))} rows/s`);
    console.log(`  ${ratioLine('ratio of the medians', p / d, TARGET_RATIO)}`);
    console.log(`  ${ratioLine('median of the per-run ratios', median(ratios), TARGET_RATIO)}`);
  } finally {
    for (const db of created.reverse()) await dropDatabase(url, db).catch(() => undefined);
  }
}

await main();
