import { Command, InvalidArgumentError } from 'commander';
import { verifyAuditChain } from '../platform/audit.ts';
import { withContext } from './context.ts';
import { createProgress } from './progress.ts';

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const REASONS = {
  content: 'its content does not match its hash (changed after it was written)',
  link: 'its prev_hash is not the hash of the row before it (a row was removed, inserted or reordered)',
  gap: 'the chain skips positions here (rows were removed)',
  head: 'the chain ends before its recorded head (rows at the end were removed, or the head was changed)',
} as const;

/** Adds `dost audit verify`: walks the audit log's hash chain and reports the first broken row (exit 1). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The audit log of personal-data access');
  audit.command('verify')
    .description('Walk the hash chain of the audit log; report the first broken row and exit 1 if there is one')
    .option('--batch <n>', 'rows read per query', positive, 10_000)
    .action(async (opts: { batch: number }) => {
      await withContext(async (ctx) => {
        const bar = createProgress({ label: 'Verifying the audit chain', unit: 'rows' });
        const r = await verifyAuditChain(ctx.db, { batchSize: opts.batch, onProgress: (n, total) => bar.update(n, total) });
        bar.stop(r.checked);
        if (r.firstBreak) {
          const b = r.firstBreak;
          process.stdout.write(`audit chain BROKEN at chain ${b.chain} seq ${b.seq}${b.auditId != null ? ` (audit_id ${b.auditId})` : ''}: ${REASONS[b.reason]}; ${r.checked} rows before it hold\n`);
          process.exitCode = 1;
        } else {
          process.stdout.write(`audit chain intact: ${r.checked} rows\n`);
        }
      });
    });
}
