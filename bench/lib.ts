/**
 * Shared helpers for the benchmarks in bench/: command-line flags, timing, percentiles, machine
 * information, throw-away PostgreSQL databases and printing of rates and ratios.
 */
import os from 'node:os';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

/** Reads `--name value` / `--flag` style arguments. */
export function parseArgs(argv = process.argv.slice(2)): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) out.set(k, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out.set(k, argv[++i]!);
    else out.set(k, 'true');
  }
  return out;
}

/** A numeric flag with a default; accepts 1e6, 1_000_000, 1000000. */
export function numberArg(args: Map<string, string>, name: string, dflt: number): number {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${v}`);
  return n;
}

/** Runs `fn` and returns its result with the wall-clock milliseconds it took. */
export async function time<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - t };
}

/** The p-th percentile (0–100) of `values`, linear interpolation between closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** 1234567 → "1,234,567". */
export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Rows per second, rounded. */
export const rate = (rows: number, ms: number): number => (ms > 0 ? (rows * 1000) / ms : 0);

/** "0.83x" with a verdict against a target ratio. */
export function ratioLine(label: string, ratio: number, target?: number): string {
  const verdict = target === undefined ? '' : ratio >= target ? ` (target ≥ ${target}x: met)` : ` (target ≥ ${target}x: NOT met)`;
  return `${label}: ${ratio.toFixed(2)}x${verdict}`;
}

/** Machine and software facts to print next to every figure. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  os: string;
  postgres?: string;
}

export async function machineInfo(databaseUrl?: string): Promise<MachineInfo> {
  const info: MachineInfo = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      info.postgres = String((await c.query<{ v: string }>('select version() as v')).rows[0]?.v ?? '').split(' on ')[0];
    } finally {
      await c.end();
    }
  }
  return info;
}

export function printMachine(info: MachineInfo): void {
  console.log(`machine: ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB RAM, ${info.os}`);
  console.log(`software: node ${info.node}${info.postgres ? `, ${info.postgres}` : ''}`);
}

/** The URL of database `name` on the same server as `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs SQL on the server's admin connection (`url` as given, usually the postgres database). */
export async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export const createDatabase = (url: string, name: string) => adminQuery(url, `create database ${name}`);
export const dropDatabase = (url: string, name: string) => adminQuery(url, `drop database if exists ${name} with (force)`);

/** CHECKPOINT so the next timed run does not pay for the previous one's WAL (needs superuser; skipped otherwise). */
export async function checkpoint(url: string): Promise<void> {
  await adminQuery(url, 'checkpoint').catch(() => undefined);
}

/** Runs a command, resolving with its stdout; rejects with stderr on a non-zero exit. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}: ${err.trim()}`))));
  });
}

/**
 * A clock running at real speed from 10:00 Baku time on a fixed weekday (2026-11-24), for the
 * queue benchmarks: tickets are issued only while a center is open, so a run at night or on a
 * weekend measures the same working morning.
 */
export function openingHoursClock(start = '2026-11-24T06:00:00Z'): () => Date {
  const t0 = Date.now();
  const base = Date.parse(start);
  return () => new Date(base + (Date.now() - t0));
}
