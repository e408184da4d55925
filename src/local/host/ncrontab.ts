// Timer schedules as the Functions host reads them: six-field NCRONTAB ("sec min hour day month dow",
// local time, day and weekday must both match as in NCrontab) or a constant "hh:mm:ss" interval.

export interface Schedule {
  readonly expression: string;
  /** First occurrence strictly after `after`, or undefined if there is none within ten years. */
  next(after: Date): Date | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  names?: string[];
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { label: 'second', min: 0, max: 59 },
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { label: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

function parseValue(text: string, spec: FieldSpec, expr: string): number {
  const byName = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = byName >= 0 ? byName + (spec.namesFrom ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= spec.min && n <= spec.max)) throw new Error(`Invalid ${spec.label} "${text}" in schedule "${expr}"`);
  return n;
}

function parseField(text: string, spec: FieldSpec, expr: string): boolean[] {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`Invalid step "${item}" in schedule "${expr}"`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = spec.min;
      hi = spec.max;
    } else {
      const [a = '', b] = range.split('-');
      lo = parseValue(a, spec, expr);
      // "a/n" means from a to the end of the range, as in NCrontab.
      hi = b !== undefined ? parseValue(b, spec, expr) : stepText !== undefined ? spec.max : lo;
      if (hi < lo) throw new Error(`Invalid range "${item}" in schedule "${expr}"`);
    }
    for (let v = lo; v <= hi; v += step) allowed[v] = true;
  }
  return allowed;
}

function cronSchedule(expression: string, fields: string[]): Schedule {
  const [secs, mins, hours, days, months, dows] = fields.map((f, i) => parseField(f, FIELDS[i]!, expression)) as [
    boolean[], boolean[], boolean[], boolean[], boolean[], boolean[],
  ];
  if (dows[7]) dows[0] = true; // 7 is Sunday too
  return {
    expression,
    next(after: Date): Date | undefined {
      let t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getFullYear() + 10;
      while (t.getFullYear() <= limit) {
        const y = t.getFullYear(), mo = t.getMonth(), d = t.getDate(), h = t.getHours(), mi = t.getMinutes();
        let n: Date;
        if (!months[mo + 1]) n = new Date(y, mo + 1, 1);
        else if (!days[d] || !dows[t.getDay()]) n = new Date(y, mo, d + 1);
        else if (!hours[h]) n = new Date(y, mo, d, h + 1);
        else if (!mins[mi]) n = new Date(y, mo, d, h, mi + 1);
        else if (!secs[t.getSeconds()]) n = new Date(t.getTime() + 1000);
        else return t;
        // Local-time arithmetic can stand still across a DST change; always move forward.
        t = n.getTime() > t.getTime() ? n : new Date(t.getTime() + 1000);
      }
      return undefined;
    },
  };
}

function intervalSchedule(expression: string, ms: number): Schedule {
  return { expression, next: (after) => new Date(after.getTime() + ms) };
}

export function parseSchedule(expression: string): Schedule {
  const expr = expression.trim();
  const span = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expr);
  if (span) {
    const [, d = '0', h = '0', m = '0', s = '0'] = span;
    const ms = (((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
    if (ms <= 0) throw new Error(`Timer interval "${expression}" must be positive`);
    return intervalSchedule(expression, ms);
  }
  const fields = expr.split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(`Schedule "${expression}" must have six fields (second minute hour day month day-of-week)`);
  }
  return cronSchedule(expression, fields);
}

/** The next `count` occurrences after `from` (for tests and for scheduleStatus). */
export function nextOccurrences(schedule: Schedule, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let t: Date | undefined = from;
  while (out.length < count && (t = schedule.next(t)) !== undefined) out.push(t);
  return out;
}
