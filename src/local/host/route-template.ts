// Compiles ASP.NET-style route templates, as the Functions host routes them, into one anchored,
// case-insensitive regular expression each, plus the inbound precedence used to order routes.

export type Constraint = (value: string) => boolean;

export interface ParamSpec {
  name: string;
  constraints: Constraint[];
  defaultValue?: string;
}

export interface CompiledTemplate {
  template: string;
  regex: RegExp;
  /** In capture-group order. */
  params: ParamSpec[];
  /** One digit per segment (1 literal … 5 catch-all), compared left to right: lower is more specific. */
  precedence: number[];
}

interface Part {
  literal?: string;
  param?: { name: string; catchAll: boolean; optional: boolean; constraints: Constraint[]; defaultValue?: string };
}

const INT32 = /^[+-]?\d{1,10}$/;
const INT64 = /^[+-]?\d{1,19}$/;
const GUID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}|\([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\))$/i;

const isNum = (v: string): boolean => v.trim() !== '' && Number.isFinite(Number(v));
const nums = (arg: string): number[] => arg.split(',').map((s) => Number(s.trim()));

/** ASP.NET's built-in inline constraints; an unknown one is ignored (it cannot be evaluated here). */
function makeConstraint(name: string, arg: string): Constraint | undefined {
  const [a = NaN, b = NaN] = nums(arg);
  switch (name.toLowerCase()) {
    case 'int': return (v) => INT32.test(v) && Number(v) >= -(2 ** 31) && Number(v) < 2 ** 31;
    case 'long': return (v) => INT64.test(v);
    case 'guid': return (v) => GUID.test(v);
    case 'alpha': return (v) => /^[a-z]+$/i.test(v);
    case 'bool': return (v) => /^(?:true|false)$/i.test(v);
    case 'double': case 'float': case 'decimal': return isNum;
    case 'datetime': return (v) => !Number.isNaN(Date.parse(v));
    case 'required': return (v) => v.length > 0;
    case 'minlength': return (v) => v.length >= a;
    case 'maxlength': return (v) => v.length <= a;
    case 'length': return Number.isNaN(b) ? (v) => v.length === a : (v) => v.length >= a && v.length <= b;
    case 'min': return (v) => INT64.test(v) && Number(v) >= a;
    case 'max': return (v) => INT64.test(v) && Number(v) <= a;
    case 'range': return (v) => INT64.test(v) && Number(v) >= a && Number(v) <= b;
    case 'regex': {
      const re = new RegExp(arg, 'i');
      return (v) => re.test(v);
    }
    default: return undefined;
  }
}

function parseParam(text: string): NonNullable<Part['param']> {
  let rest = text;
  const catchAll = rest.startsWith('*');
  rest = rest.replace(/^\*{1,2}/, '');
  const name = /^[^:=?]+/.exec(rest)?.[0] ?? '';
  if (!name) throw new Error(`Route parameter without a name: {${text}}`);
  rest = rest.slice(name.length);
  const param: NonNullable<Part['param']> = { name, catchAll, optional: false, constraints: [] };
  while (rest.length > 0) {
    if (rest.startsWith(':')) {
      const cname = /^:([A-Za-z]+)/.exec(rest)?.[1] ?? '';
      rest = rest.slice(cname.length + 1);
      let arg = '';
      if (rest.startsWith('(')) {
        let depth = 0;
        let i = 0;
        for (; i < rest.length; i++) {
          if (rest[i] === '(') depth++;
          else if (rest[i] === ')' && --depth === 0) break;
        }
        arg = rest.slice(1, i);
        rest = rest.slice(i + 1);
      }
      const c = makeConstraint(cname, arg);
      if (c) param.constraints.push(c);
    } else if (rest.startsWith('?')) {
      param.optional = true;
      rest = rest.slice(1);
    } else if (rest.startsWith('=')) {
      param.defaultValue = rest.slice(1);
      param.optional = true;
      rest = '';
    } else {
      throw new Error(`Cannot parse route parameter {${text}}`);
    }
  }
  return param;
}

/** Splits a segment into literal and `{param}` parts; `{{` / `}}` are literal braces. */
function parseSegment(segment: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    const next = segment[i + 1];
    if ((ch === '{' || ch === '}') && next === ch) {
      literal += ch;
      i++;
    } else if (ch === '{') {
      let j = i + 1;
      let text = '';
      for (; j < segment.length; j++) {
        if (segment[j] === '}' && segment[j + 1] === '}') text += segment[++j];
        else if (segment[j] === '}') break;
        else text += segment[j];
      }
      if (j >= segment.length) throw new Error(`Unclosed '{' in route segment "${segment}"`);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ param: parseParam(text) });
      i = j;
    } else {
      literal += ch;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTemplate(template: string): CompiledTemplate {
  const segments = template.replace(/^~?\/+/, '').split('/').filter((s) => s.length > 0).map(parseSegment);
  // Only a trailing run of optional (or catch-all) segments may be left out of a URL.
  let firstOptional = segments.length;
  while (firstOptional > 0) {
    const parts = segments[firstOptional - 1] ?? [];
    const p = parts.length === 1 ? parts[0]?.param : undefined;
    if (!p || !(p.optional || p.catchAll)) break;
    firstOptional--;
  }
  const params: ParamSpec[] = [];
  const precedence: number[] = [];
  let source = '';
  segments.forEach((parts, i) => {
    const sep = i > 0 ? '/' : '';
    const single = parts.length === 1 ? parts[0] : undefined;
    let body = '';
    for (const part of parts) {
      if (part.literal !== undefined) {
        body += escapeRegex(part.literal);
      } else if (part.param) {
        const { name, constraints, defaultValue, catchAll } = part.param;
        params.push(defaultValue === undefined ? { name, constraints } : { name, constraints, defaultValue });
        body += catchAll && single ? '(.*)' : '([^/]+)';
      }
    }
    source += i >= firstOptional ? `(?:${sep}${body}` : `${sep}${body}`;
    if (!single) precedence.push(2);
    else if (single.literal !== undefined) precedence.push(1);
    else precedence.push((single.param?.catchAll ? 5 : 3) - (single.param?.constraints.length ? 1 : 0));
  });
  source += ')?'.repeat(segments.length - firstOptional);
  return { template, regex: new RegExp(`^${source}$`, 'i'), params, precedence };
}

/** ASP.NET's inbound order: more specific segment by segment first, then the template text. */
export function compareTemplates(a: CompiledTemplate, b: CompiledTemplate): number {
  const n = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < n; i++) {
    const d = (a.precedence[i] ?? 0) - (b.precedence[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.template.toLowerCase() < b.template.toLowerCase() ? -1 : a.template === b.template ? 0 : 1;
}
