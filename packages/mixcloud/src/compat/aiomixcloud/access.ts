/**
 * aiomixcloud's `AccessDict` and `AccessList`: a dict read by attribute (`resource.user.name`) and a list
 * read by index or by an item's key (`list['chris/funky-mix']`), every item wrapped on access (objects with a
 * `type` become `Resource`s, other objects `AccessDict`s, arrays `AccessList`s). A Proxy gives the attribute
 * access; real attributes win over items, as in the seed. JavaScript's rule for a missing name applies (it
 * reads `undefined`); `item(key)` throws like the seed's `[key]`.
 *
 * @module
 */
import { inspect } from 'node:util';
import { InvalidInputError } from '@mediaferry/core';
import type { MixcloudLike } from './model-types.js';

/** Where a model keeps its state (a symbol: it never shadows an item). */
export const STATE = Symbol('aiomixcloud.model');
/** A model's fallback for a name that is not a real attribute. */
export const LOOKUP = Symbol('aiomixcloud.lookup');
/** A model's own item names (for `in`, `Object.keys`, spreading). */
export const NAMES = Symbol('aiomixcloud.names');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The seed's `_wrap`: the model an item reads as. */
export function wrap(mixcloud: MixcloudLike, item: unknown): unknown {
  if (Array.isArray(item)) return new AccessList(item, { mixcloud });
  if (isPlainObject(item)) {
    if ('type' in item) return new mixcloud.resourceClass(item, { mixcloud });
    return new AccessDict(item, { mixcloud });
  }
  return item;
}

interface Lookup {
  [LOOKUP](name: string): unknown;
  [NAMES](): string[];
}

/** Wraps a model in the Proxy that reads items as attributes. */
function attributeProxy<T extends object & Lookup>(model: T): T {
  return new Proxy(model, {
    get(target, prop, receiver) {
      if (typeof prop === 'symbol' || prop in target) return Reflect.get(target, prop, receiver);
      // `await model` probes `then`: an item must never make a model look like a promise.
      if (prop === 'then') return undefined;
      return target[LOOKUP](prop);
    },
    // A write makes a real attribute, which then wins over the item (the seed's rule).
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
    has(target, prop) {
      return prop in target || (typeof prop === 'string' && target[NAMES]().includes(prop));
    },
    ownKeys(target) {
      return [...new Set([...target[NAMES](), ...Reflect.ownKeys(target)])];
    },
    getOwnPropertyDescriptor(target, prop) {
      const own = Reflect.getOwnPropertyDescriptor(target, prop);
      if (own || typeof prop !== 'string' || !target[NAMES]().includes(prop)) return own;
      return { value: target[LOOKUP](prop), enumerable: true, configurable: true, writable: false };
    },
  });
}

interface DictState {
  readonly data: Record<string, unknown>;
  readonly mixcloud: MixcloudLike;
}

/** A dict whose items read as attributes (`d.name` is `d.item('name')`), wrapped. */
export class AccessDict {
  /** Items, by attribute. */
  [item: string]: unknown;
  /** @hidden */
  declare readonly [STATE]: DictState;

  constructor(data: Record<string, unknown>, options: { readonly mixcloud: MixcloudLike }) {
    Object.defineProperty(this, STATE, {
      value: { data: isPlainObject(data) ? data : {}, mixcloud: options.mixcloud },
      writable: true,
      configurable: true,
    });
    // biome-ignore lint/correctness/noConstructorReturn: the Proxy is what gives attribute access.
    return attributeProxy(this);
  }

  /** The original dict. */
  get data(): Record<string, unknown> {
    return this[STATE].data;
  }

  /** The `Mixcloud` instance items are wrapped for. */
  get mixcloud(): MixcloudLike {
    return this[STATE].mixcloud;
  }

  /** @hidden */
  [LOOKUP](name: string): unknown {
    return Object.hasOwn(this.data, name) ? wrap(this.mixcloud, this.data[name]) : undefined;
  }

  /** @hidden */
  [NAMES](): string[] {
    return Object.keys(this.data);
  }

  /** The seed's `d[key]`: the wrapped item, or an `InvalidInputError` (its `KeyError`) when missing. */
  item(key: string): unknown {
    if (!Object.hasOwn(this.data, key)) throw new InvalidInputError('key', `no item ${JSON.stringify(key)}`);
    return wrap(this.mixcloud, this.data[key]);
  }

  /** `dict.get`: the wrapped item, or `fallback`. */
  get(key: string, fallback?: unknown): unknown {
    return Object.hasOwn(this.data, key) ? wrap(this.mixcloud, this.data[key]) : fallback;
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  values(): unknown[] {
    return this.keys().map((key) => wrap(this.mixcloud, this.data[key]));
  }

  items(): [string, unknown][] {
    return this.keys().map((key) => [key, wrap(this.mixcloud, this.data[key])]);
  }

  /** Iterating a dict gives its keys. */
  [Symbol.iterator](): Iterator<unknown> {
    return this.keys()[Symbol.iterator]();
  }

  toJSON(): unknown {
    return this.data;
  }

  [inspect.custom](): string {
    return inspect(this.data);
  }
}

/** `/x/` form of a key: a missing leading or trailing slash is added (the seed's rule). */
export function normalizeKey(key: string): string {
  return `/${key.replace(/^\/+|\/+$/g, '')}/`;
}

/** An item of `list` by index (negative from the end) or by a Resource's key. */
function findItem(list: AccessList, name: string): { found: boolean; value: unknown } {
  const { data, mixcloud } = list[STATE];
  if (/^-?\d+$/.test(name)) {
    const index = Number(name) < 0 ? data.length + Number(name) : Number(name);
    const found = index >= 0 && index < data.length;
    return { found, value: found ? wrap(mixcloud, data[index]) : undefined };
  }
  const key = normalizeKey(name);
  for (const raw of data) {
    if (!isPlainObject(raw) || !('type' in raw) || raw.key !== key) continue;
    return { found: true, value: wrap(mixcloud, raw) };
  }
  return { found: false, value: undefined };
}

/** A list read by index (negative ones from the end) or by the key of a Resource item. */
export class AccessList implements Iterable<unknown> {
  /** Items, by index or key. */
  [item: string]: unknown;
  /** @hidden */
  declare readonly [STATE]: { readonly data: unknown[]; readonly mixcloud: MixcloudLike };

  constructor(data: unknown[], options: { readonly mixcloud: MixcloudLike }) {
    Object.defineProperty(this, STATE, {
      value: { data: Array.isArray(data) ? data : [], mixcloud: options.mixcloud },
      configurable: true,
    });
    // biome-ignore lint/correctness/noConstructorReturn: the Proxy is what gives index and key access.
    return attributeProxy(this);
  }

  /** The original list. */
  get data(): unknown[] {
    return this[STATE].data;
  }

  get mixcloud(): MixcloudLike {
    return this[STATE].mixcloud;
  }

  get length(): number {
    return this.data.length;
  }

  /** @hidden */
  [LOOKUP](name: string): unknown {
    return findItem(this, name).value;
  }

  /** @hidden */
  [NAMES](): string[] {
    return this.data.map((_, i) => String(i));
  }

  /** The seed's `list[i]` / `list['user/slug']`: the item, or an `InvalidInputError` (its `IndexError`/`KeyError`). */
  item(index: number | string): unknown {
    const { found, value } = findItem(this, String(index));
    if (!found)
      throw new InvalidInputError(
        'index',
        typeof index === 'number'
          ? `${index} is out of range (${this.length} items)`
          : `no item with key ${normalizeKey(index)}`,
      );
    return value;
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.data.map((item) => wrap(this.mixcloud, item))[Symbol.iterator]();
  }

  toJSON(): unknown {
    return this.data;
  }

  [inspect.custom](): string {
    return inspect(this.data);
  }
}
