/**
 * A PostgreSQL server of a test's (or benchmark's) own: `initdb` into a temporary directory,
 * trust authentication, a free loopback port and a socket directory of its own, so a test can
 * restart, crash and start it without touching any shared server. Run as the `postgres` OS user
 * when this process is root (PostgreSQL refuses to run as root).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The directory holding initdb and pg_ctl (PG_BIN, or the newest /usr/lib/postgresql/N/bin); undefined if none. */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'));
  if (process.env.PG_BIN) return has(process.env.PG_BIN) ? process.env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find(has);
}

/** A port no one listens on now (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** pg_ctl's shutdown modes: `fast` ends sessions with 57P01, `immediate` kills the server (crash recovery on start). */
export type StopMode = 'smart' | 'fast' | 'immediate';

/** One running server of our own. */
export interface PgInstance {
  /** URL of its `postgres` database over TCP. */
  url: string;
  port: number;
  dir: string;
  /** `pg_ctl restart -m <mode>`: stops and starts again; resolves when it accepts connections. */
  restart(mode?: StopMode): Promise<void>;
  /** `pg_ctl stop -m <mode>`; resolves when the server is down. */
  stop(mode?: StopMode): Promise<void>;
  /** `pg_ctl start`; resolves when the server accepts connections. */
  start(): Promise<void>;
  /** Stops the server (immediately) and deletes its directory. */
  destroy(): Promise<void>;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root; rejects with its output on failure. */
function pgRun(bin: string, args: string[]): Promise<void> {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    // stdout/stderr to files via -l for the server; pg_ctl's own output is short.
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    // 'exit', not 'close': the postmaster pg_ctl starts may keep inherited pipes open.
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited with ${code}: ${out.trim()}`))));
  });
}

/** Creates and starts a server of our own (see the file comment). */
export async function startPgInstance(opts: { bin?: string } = {}): Promise<PgInstance> {
  const bin = opts.bin ?? findPostgresBin();
  if (!bin) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found; set PG_BIN');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dost-pg-'));
  if (asRoot) {
    const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, id('-u'), id('-g'));
  }
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const port = await freePort();
  await pgRun(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // Small memory, loopback only, the socket in our own directory; durable commits as in production.
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c max_connections=60`;
  const pgCtl = path.join(bin, 'pg_ctl');
  const start = () => pgRun(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', '-o', serverOpts, 'start']);
  await start();
  let destroyed = false;
  const cleanup = () => {
    if (destroyed) return;
    destroyed = true;
    const argv = ['-D', data, '-m', 'immediate', 'stop'];
    spawnSync(asRoot ? 'runuser' : pgCtl, asRoot ? ['-u', 'postgres', '--', pgCtl, ...argv] : argv, { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  // Never leave a server behind, whatever ends this process.
  process.once('exit', cleanup);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    restart: (mode = 'fast') => pgRun(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', '-m', mode, '-o', serverOpts, 'restart']),
    stop: (mode = 'fast') => pgRun(pgCtl, ['-D', data, '-w', '-t', '60', '-m', mode, 'stop']),
    start,
    async destroy() {
      process.removeListener('exit', cleanup);
      cleanup();
    },
  };
}
