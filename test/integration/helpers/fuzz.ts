// fast-check arbitraries for hostile input: a JSON tree that can say what JSON.stringify cannot (duplicate keys,
// "__proto__", 1e309, -0, nesting a million deep), mutations of valid examples, and byte-level damage.
import fc from 'fast-check';

/** Emitted verbatim: number tokens JSON.stringify never writes (1e309, -0) or outright invalid ones (NaN). */
export class Raw { constructor(readonly text: string) {} }
/** An object as entries, so keys may repeat and "__proto__" stays an own key. */
export class Obj { constructor(readonly entries: [string, J][]) {} }
/** `inner` wrapped `depth` times in [] or {"a": …}, written without recursion. */
export class Nest { constructor(readonly depth: number, readonly inner: J, readonly asObject: boolean) {} }
/** An array of `n` copies of `item`. */
export class Rep { constructor(readonly n: number, readonly item: J) {} }
/** About twice the largest body limit: enough to cross every limit, small enough for the test process. */
const MAX_TEXT = 8_000_000;
export type J = null | boolean | number | string | Raw | Obj | Nest | Rep | J[];

export function fromJs(value: unknown): J {
  if (Array.isArray(value)) return value.map(fromJs);
  if (value && typeof value === 'object') return new Obj(Object.entries(value).map(([k, v]) => [k, fromJs(v)]));
  return value as J;
}

export function toJson(v: J): string {
  if (v instanceof Raw) return v.text;
  if (v instanceof Obj) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
  if (v instanceof Nest) {
    const [open, close] = v.asObject ? ['{"a":', '}'] : ['[', ']'];
    return open.repeat(v.depth) + toJson(v.inner) + close.repeat(v.depth);
  }
  if (v instanceof Rep) {
    const one = toJson(v.item);
    const n = Math.min(v.n, Math.floor(MAX_TEXT / (one.length + 1))); // a repeat of a huge node stays bounded
    return `[${new Array<string>(n).fill(one).join(',')}]`;
  }
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  return JSON.stringify(v) ?? 'null';
}

const SPECIAL_CHARS = ['\u0000', '\ud800', '\udfff', '\udbff\udfff', '\u202e', '\ufeff', '\u2028', '\uffff', '\u00e9', '日', '🙂', '"', '\\', '/', '%', '\n', '\t'];
/** One code point, often one that breaks naive code: NUL, lone surrogates, BOM, RTL override. */
const hostileUnit = fc.oneof(fc.constantFrom(...SPECIAL_CHARS), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: hostileUnit, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'NaN', 'Infinity', '-0', '1e309', 'null', 'true', '__proto__', 'constructor', '../../x', '/inputs/../results/x', 'a'.repeat(300)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 20 }) },
);
export const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'Inputs', 'input1', 'Values'), hostileString);
const rawNumber = fc.constantFrom('1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890', '0.1e1', '-0.0', '9007199254740993', '1E2');
const hostileScalar: fc.Arbitrary<J> = fc.oneof(
  hostileString,
  fc.constantFrom<J>(null, true, false, 0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5, []),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  rawNumber.map((t) => new Raw(t)),
  fc.constant(new Obj([])),
);
export const hostileValue: fc.Arbitrary<J> = fc.oneof(
  { weight: 5, arbitrary: hostileScalar },
  { weight: 1, arbitrary: fc.array(hostileScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, hostileScalar), { maxLength: 4 }).map((e) => new Obj(e)) },
);

type Mutation =
  | { kind: 'replace'; value: J }
  | { kind: 'drop' }
  | { kind: 'duplicate'; value: J }
  | { kind: 'addKey'; key: string; value: J }
  | { kind: 'nest'; depth: number; asObject: boolean }
  | { kind: 'repeat'; n: number }
  | { kind: 'hugeString'; length: number; unit: string }
  | { kind: 'insert'; text: string; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: hostileValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), text: hostileString, at: fc.nat() }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'drop' as const }) },
  { weight: 2, arbitrary: hostileValue.map((value) => ({ kind: 'duplicate' as const, value })) },
  { weight: 3, arbitrary: fc.tuple(hostileKey, hostileValue).map(([key, value]) => ({ kind: 'addKey' as const, key, value })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nest' as const), depth: fc.constantFrom(2, 64, 1000, 100_000, 1_000_000), asObject: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('repeat' as const), n: fc.constantFrom(2, 1001, 20_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hugeString' as const), length: fc.constantFrom(1025, 70_000, 300_000), unit: fc.constantFrom('x', 'é', '\u0000', '🙂') }) },
);

interface Slot { get(): J; set(v: J): void; drop?(): void; container?: Obj | J[] }

/** Every node of the tree, each with a way to replace or remove it in its parent. */
function slots(root: { v: J }): Slot[] {
  const out: Slot[] = [{ get: () => root.v, set: (v) => { root.v = v; } }];
  const visit = (node: J): void => {
    if (node instanceof Obj) {
      node.entries.forEach((entry) => {
        out.push({ get: () => entry[1], set: (v) => { entry[1] = v; }, drop: () => { node.entries.splice(node.entries.indexOf(entry), 1); }, container: node });
        visit(entry[1]);
      });
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => {
        const box = { i };
        out.push({ get: () => node[box.i]!, set: (v) => { node[box.i] = v; }, drop: () => { node.splice(box.i, 1); }, container: node });
        visit(child);
      });
    }
  };
  visit(root.v);
  return out;
}

/** A deep copy: generated values are shared between runs (and shrinks), and mutations work in place. */
function clone(v: J): J {
  if (v instanceof Obj) return new Obj(v.entries.map(([k, x]) => [k, clone(x)]));
  if (v instanceof Nest) return new Nest(v.depth, clone(v.inner), v.asObject);
  if (v instanceof Rep) return new Rep(v.n, clone(v.item));
  return Array.isArray(v) ? v.map(clone) : v;
}

function apply(slot: Slot, mutation: Mutation): void {
  const node = slot.get();
  const m = 'value' in mutation ? { ...mutation, value: clone(mutation.value) } : mutation;
  switch (m.kind) {
    case 'replace': return slot.set(m.value);
    case 'drop': return slot.drop ? slot.drop() : slot.set(new Raw(''));
    case 'duplicate': {
      if (slot.container instanceof Obj) {
        const key = slot.container.entries.find((e) => e[1] === node)?.[0] ?? 'x';
        slot.container.entries.push([key, m.value]);
      } else if (Array.isArray(slot.container)) slot.container.push(clone(node));
      return;
    }
    case 'addKey': return node instanceof Obj ? void node.entries.push([m.key, m.value]) : slot.set(new Obj([[m.key, m.value]]));
    case 'nest': return slot.set(new Nest(m.depth, node, m.asObject));
    case 'repeat': return slot.set(new Rep(m.n, Array.isArray(node) && node.length > 0 ? node[0]! : node));
    case 'hugeString': return slot.set(m.unit.repeat(Math.ceil(m.length / m.unit.length)));
    // Into a string (a valid location, a name): what a near-miss of a real value looks like.
    case 'insert': {
      if (typeof node !== 'string') return slot.set(m.text);
      const at = m.at % (node.length + 1);
      return slot.set(node.slice(0, at) + m.text + node.slice(at));
    }
  }
}

/** The example with 1–3 mutations at random places (the first mutation sees the untouched tree). */
export function mutatedJson(example: unknown): fc.Arbitrary<string> {
  return fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }).map((ms) => {
    const root = { v: fromJs(example) };
    for (const [at, m] of ms) {
      const all = slots(root);
      apply(all[at % all.length]!, m);
    }
    return toJson(root.v);
  });
}

/** Byte-level damage to a body: truncation, BOM, invalid UTF-8, UTF-16, garbage, or nothing at all. */
export function damagedBytes(text: fc.Arbitrary<string>): fc.Arbitrary<Buffer> {
  const utf8 = text.map((t) => Buffer.from(t, 'utf8'));
  return fc.oneof(
    { weight: 10, arbitrary: utf8 },
    { weight: 1, arbitrary: fc.tuple(utf8, fc.double({ min: 0, max: 1, noNaN: true })).map(([b, f]) => b.subarray(0, Math.floor(b.length * f))) },
    { weight: 1, arbitrary: utf8.map((b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])) },
    { weight: 1, arbitrary: fc.tuple(utf8, fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x00])).map(([b, bad]) => Buffer.concat([b.subarray(0, b.length >> 1), Buffer.from(bad), b.subarray(b.length >> 1)])) },
    { weight: 1, arbitrary: text.map((t) => Buffer.from(t, 'utf16le')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '0', 'true', '{"a":', '<xml/>', 'a=1&b=2', '\u0000').map((t) => Buffer.from(t)) },
  );
}

/** A body for a JSON operation: mostly the mutated example, sometimes the untouched example or random JSON. */
export function jsonBody(example: unknown): fc.Arbitrary<Buffer> {
  return damagedBytes(fc.oneof(
    { weight: 8, arbitrary: mutatedJson(example) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(example)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  ));
}
