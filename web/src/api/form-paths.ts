/**
 * The form field a field error names: its path (`plan.fab.0.benefit` → ['plan', 'fab', 0,
 * 'benefit']) when the form holds it, else the nearest field above it that holds a plain value
 * (`plan.spin.situation.1` → the one text area the questions are typed in); null when none does.
 */
export function formPathOf(values: unknown, field: string): (string | number)[] | null {
  const path: (string | number)[] = [];
  let node = values;
  for (const part of field.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) break;
    path.push(/^\d+$/.test(part) ? Number(part) : part);
    node = (node as Record<string, unknown>)[part];
  }
  if (path.length === 0) return null;
  const whole = path.length === field.split('.').length;
  return whole || node === null || typeof node !== 'object' ? path : null;
}
