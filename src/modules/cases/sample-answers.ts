import type { FieldOut } from '../catalog/index.ts';

/**
 * Answers that satisfy a service's form: an allowed option, an in-range number, a date, and
 * plausible text. For demo data, tests and benchmarks; `pick` chooses among options (default: the first).
 */
export function sampleAnswers(fields: readonly FieldOut[], pick: (n: number) => number = () => 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.prefill) continue;
    switch (f.type) {
      case 'select': out[f.name] = f.options![pick(f.options!.length)]!.value; break;
      case 'number': case 'money': out[f.name] = Math.max(f.min ?? 0, Math.min(f.max ?? 100, 100)); break;
      case 'date': out[f.name] = '2026-10-01'; break;
      case 'boolean': out[f.name] = true; break;
      case 'fin': out[f.name] = '5ZX8K2M'; break;
      case 'phone': out[f.name] = '+994551112233'; break;
      case 'email': out[f.name] = 'vetendas@example.az'; break;
      default: {
        const text = f.type === 'textarea' ? 'Ətraflı məlumat əlavə olunur.' : 'Bakı şəhəri';
        // Short fields are codes (a VÖEN, a certificate number): digits of the allowed length.
        out[f.name] = f.maxLength !== undefined && f.maxLength < text.length ? '1234567890123456'.slice(0, f.maxLength) : text;
      }
    }
  }
  return out;
}
