/**
 * Progress reporting for long CLI commands (import, generate): a live bar on a terminal, and on
 * anything else (CI logs, pipes) one plain line every few seconds, so logs stay readable.
 */
import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** What is being done, e.g. "Importing citizens". */
  label: string;
  /** Expected final value; 0 or undefined when unknown (then no percentage or ETA). */
  total?: number;
  /** Unit shown after the numbers, e.g. "rows", "citizens", "bytes". */
  unit?: string;
  /** Where to write; process.stderr by default (stdout stays free for results). */
  stream?: NodeJS.WriteStream;
  /** Force the bar (true) or the plain lines (false); by default the bar on a TTY only. */
  tty?: boolean;
  /** Plain mode: milliseconds between lines (5000 by default). */
  intervalMs?: number;
  /** Formats values (e.g. bytes as MiB); plain numbers with thousands separators by default. */
  formatValue?: (v: number) => string;
  /** Clock, for tests. */
  now?: () => number;
}

export interface Progress {
  /** Sets the current value (absolute, not an increment); `total` may be corrected on the way. */
  update(value: number, total?: number): void;
  /** Final value and a closing line. */
  stop(value?: number): void;
}

const groupDigits = (v: number): string => Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Formats a byte count as KiB / MiB / GiB. */
export function formatBytes(v: number): string {
  if (v < 1024) return `${v} B`;
  if (v < 1024 ** 2) return `${(v / 1024).toFixed(1)} KiB`;
  if (v < 1024 ** 3) return `${(v / 1024 ** 2).toFixed(1)} MiB`;
  return `${(v / 1024 ** 3).toFixed(2)} GiB`;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Creates a progress reporter; call update() as often as you like, it throttles itself. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const fmt = opts.formatValue ?? groupDigits;
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const now = opts.now ?? (() => performance.now());
  const started = now();
  let total = opts.total ?? 0;
  let value = 0;
  let stopped = false;

  const rateText = (v: number, elapsed: number) => (elapsed > 0 ? `${fmt((v * 1000) / elapsed)}${unit}/s` : '');

  if (opts.tty ?? stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: total > 0
          ? `${opts.label} [{bar}] {percentage}% | {shown}/{shownTotal}${unit} | {rate} | ETA {eta_formatted}`
          : `${opts.label} {shown}${unit} | {rate} | {elapsed}`,
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
        noTTYOutput: !stream.isTTY,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = (v: number) => ({ shown: fmt(v), shownTotal: fmt(total), rate: rateText(v, now() - started), elapsed: formatDuration(now() - started) });
    bar.start(total > 0 ? total : 1, 0, payload(0));
    return {
      update(v, t) {
        if (stopped) return;
        if (t !== undefined && t !== total) {
          total = t;
          bar.setTotal(t);
        }
        value = v;
        bar.update(total > 0 ? v : 0, payload(v));
      },
      stop(v) {
        if (stopped) return;
        stopped = true;
        if (v !== undefined) value = v;
        bar.update(total > 0 ? value : 0, payload(value));
        bar.stop();
      },
    };
  }

  const interval = opts.intervalMs ?? 5000;
  let lastLine = started;
  const line = (v: number, final: boolean) => {
    const elapsed = now() - started;
    const pct = total > 0 ? ` (${((v / total) * 100).toFixed(1)}%)` : '';
    const of = total > 0 ? `/${fmt(total)}` : '';
    const eta = !final && total > 0 && v > 0 ? `, ETA ${formatDuration((elapsed * (total - v)) / v)}` : '';
    const rate = rateText(v, elapsed);
    stream.write(`${opts.label}: ${fmt(v)}${of}${unit}${pct}${rate ? `, ${rate}` : ''}, ${formatDuration(elapsed)}${eta}${final ? ' — done' : ''}\n`);
  };
  return {
    update(v, t) {
      if (stopped) return;
      if (t !== undefined) total = t;
      value = v;
      const n = now();
      if (n - lastLine >= interval) {
        lastLine = n;
        line(v, false);
      }
    },
    stop(v) {
      if (stopped) return;
      stopped = true;
      if (v !== undefined) value = v;
      line(value, true);
    },
  };
}
