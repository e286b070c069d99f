/**
 * Closed-loop HTTP load for outage tests and benchmarks: N clients, each sending its next request
 * as soon as the previous one is answered, alternating a write (an application submitted with its
 * own Idempotency-Key) and a read; every answer is kept with its timing.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** One request and its answer (times from performance.now()). */
export interface Sample {
  kind: 'write' | 'read';
  /** The Idempotency-Key of a write. */
  key?: string;
  start: number;
  end: number;
  /** HTTP status; 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  retryAfter: string | null;
  body: unknown;
  error?: string;
}

export interface LoadOptions {
  /** http://127.0.0.1:port */
  base: string;
  /** Bearer token of the applicant. */
  token: string;
  clients: number;
  /** Body of every application submitted. */
  submission: Record<string, unknown>;
  /** Path of the read, e.g. `/api/applications/DOST-2026-0000001`. */
  readPath: string;
  /** Give up on one request after this long (ms); 15 s by default. */
  requestTimeoutMs?: number;
}

export interface Load {
  samples: Sample[];
  /** Stops sending; resolves when every client's last request is answered. */
  stop(): Promise<void>;
}

/** Sends one application with `key`; the answer as a Sample. */
export async function submit(opts: Pick<LoadOptions, 'base' | 'token' | 'submission' | 'requestTimeoutMs'>, key: string): Promise<Sample> {
  return request('write', `${opts.base}/api/applications`, {
    method: 'POST', body: JSON.stringify(opts.submission),
    headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json', 'idempotency-key': key },
  }, opts.requestTimeoutMs ?? 15_000, key);
}

async function request(kind: Sample['kind'], url: string, init: RequestInit, timeoutMs: number, key?: string): Promise<Sample> {
  const start = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: kept as text */
    }
    return { kind, key, start, end: performance.now(), status: res.status, retryAfter: res.headers.get('retry-after'), body };
  } catch (e) {
    return { kind, key, start, end: performance.now(), status: 0, retryAfter: null, body: null, error: String((e as Error).cause ?? e) };
  }
}

/** Starts the load (see the file comment). */
export function startLoad(opts: LoadOptions): Load {
  const samples: Sample[] = [];
  let stopped = false;
  const timeout = opts.requestTimeoutMs ?? 15_000;
  const client = async (n: number) => {
    for (let i = n; !stopped; i++) {
      samples.push(i % 2 === 0
        ? await submit(opts, randomUUID())
        : await request('read', `${opts.base}${opts.readPath}`, { headers: { authorization: `Bearer ${opts.token}` } }, timeout));
    }
  };
  const clients = Array.from({ length: opts.clients }, (_, n) => client(n));
  return {
    samples,
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
