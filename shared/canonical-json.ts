// RFC 8785 JSON Canonicalization Scheme (JCS). Pure TypeScript: no Node, no DOM.
//
// The canonical form of a JSON value is what the custody log hashes and signs, so it must be
// byte-for-byte the same in every implementation, now and in twenty years:
// - objects: members sorted by their names compared as arrays of UTF-16 code units
//   (RFC 8785 §3.2.3), which is exactly JavaScript's default string order;
// - numbers: the ECMAScript Number-to-String algorithm (§3.2.2.3), so 1e21, 1e-7, -0 -> 0;
// - strings: the JSON.stringify escaping (§3.2.2.2): \" \\ \b \f \n \r \t, other controls as
//   \u00xx with lower-case hex, everything else as is;
// - no whitespace; the result is meant to be encoded as UTF-8.
//
// What is refused, with a CanonicalJsonError naming where in the value it is:
// - numbers that are not finite (NaN, Infinity): JSON has no such numbers (§3.2.2.3);
// - strings or member names holding a lone UTF-16 surrogate (e.g. "\uDEAD"): RFC 8785 §3.2.2.2
//   says such data MUST cause a failure, because it has no UTF-8 form and implementations
//   would hash it differently;
// - BigInt, functions, symbols, and any object that is not a plain object or an array (Date,
//   Map, Buffer, class instances...): their JSON form would depend on the serializer;
// - undefined inside an array, or as the whole value, and holes in sparse arrays;
// - cycles, and nesting deeper than MAX_DEPTH.
// An object member whose value is undefined is left out, as JSON.stringify does.
// Unicode noncharacters (U+FDD0, U+FFFE...) are valid scalar values: they are kept as they are,
// like every other character, and every JCS implementation encodes them the same way.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Deepest nesting of arrays and objects accepted. */
export const MAX_DEPTH = 200;

/** A value that has no RFC 8785 canonical form. `path` says where, e.g. `$.details.files[2]`. */
export class CanonicalJsonError extends TypeError {
  readonly path: string;
  readonly reason: string;

  constructor(reason: string, path: string) {
    super(`${path}: ${reason}`);
    this.name = 'CanonicalJsonError';
    this.reason = reason;
    this.path = path;
  }
}

// Internal: thrown deep inside, re-thrown at the top with the full path.
class Failure {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {}
}

// Strings with nothing to escape and no surrogates at all: quoted as they are (fast path).
// eslint-disable-next-line no-control-regex -- the control characters are what must be escaped
const PLAIN = /^[^\x00-\x1f"\\\uD800-\uDFFF]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function str(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
  if (LONE_SURROGATE.test(s)) {
    throw new Failure('a string holds a lone UTF-16 surrogate, which RFC 8785 does not allow');
  }
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 asks: \b \t \n \f \r \" \\ and
  // \u00xx (lower-case hex) for the other controls; everything else is kept as it is.
  return JSON.stringify(s);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)
    ?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a prototype';
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // Object.prototype of this or of another realm (worker, vm), or no prototype at all.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Member names in UTF-16 code unit order; often already so (parsed canonical JSON). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}

function serialize(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return str(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Failure(`${String(value)} is not a JSON number`);
      // ECMAScript Number::toString, as RFC 8785 §3.2.2.3 requires; -0 becomes "0".
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
      throw new Failure('undefined is not a JSON value');
    case 'bigint':
      throw new Failure('a BigInt is not a JSON value; use a number or a string');
    default:
      throw new Failure(`a ${typeof value} is not a JSON value`);
  }
  if (value === null) return 'null';
  if (ancestors.length >= MAX_DEPTH) throw new Failure(`nested more than ${MAX_DEPTH} levels deep`);
  if (ancestors.includes(value)) throw new Failure('the value contains itself (a cycle)');
  ancestors.push(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) {
        const f = new Failure('an array holds undefined (or a hole)');
        f.segments.push(`[${i}]`);
        throw f;
      }
      try {
        out += (i === 0 ? '' : ',') + serialize(item, ancestors);
      } catch (e) {
        if (e instanceof Failure) e.segments.push(`[${i}]`);
        throw e;
      }
    }
    out += ']';
  } else {
    if (!isPlainObject(value)) {
      throw new Failure(`${describe(value)} is not a plain object, so it has no JSON form`);
    }
    const record = value as Record<string, unknown>;
    const keys = sortedKeys(record);
    out = '{';
    let first = true;
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      try {
        const name = str(key);
        out += (first ? '' : ',') + name + ':' + serialize(item, ancestors);
      } catch (e) {
        if (e instanceof Failure)
          e.segments.push(IDENTIFIER.test(key) ? `.${key}` : `[${str0(key)}]`);
        throw e;
      }
      first = false;
    }
    out += '}';
  }
  ancestors.pop();
  return out;
}

// A member name for an error path; never throws, even for lone surrogates.
function str0(key: string): string {
  return JSON.stringify(key);
}

/**
 * The RFC 8785 canonical JSON text of `value`. Throws CanonicalJsonError for values that have
 * no canonical form (see the top of this file).
 */
export function canonicalize(value: unknown): string {
  try {
    return serialize(value, []);
  } catch (e) {
    if (e instanceof Failure) {
      throw new CanonicalJsonError(e.reason, '$' + e.segments.reverse().join(''));
    }
    throw e;
  }
}

/** canonicalize for a string: its RFC 8785 text, quotes included. */
export function canonicalizeString(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"';
  return canonicalize(s);
}

/** True when `value` has a canonical form; never throws. */
export function isCanonicalizable(value: unknown): value is JsonValue {
  try {
    serialize(value, []);
    return true;
  } catch (e) {
    if (e instanceof Failure) return false;
    throw e;
  }
}
