/**
 * aiomixcloud's models (spec mixcloud.md §1.4, the seed's test_models.py): wrapping, AccessDict, AccessList,
 * Resource (connections, targeting, load), ResourceList, and the pluggable classes. Fixtures have the shapes of
 * the seed's (comments, favorites, followers), written here.
 */
import { describe, expect, it } from 'vitest';
import {
  AccessDict,
  AccessList,
  type JsonDecoder,
  Mixcloud,
  MixcloudJSONDecoder,
  Resource,
  type ResourceList,
} from '../../src/compat/aiomixcloud/index.js';

const ROOT = 'https://api.mixcloud.test';

const user = (name: string) => ({
  username: name,
  name: name[0]!.toUpperCase() + name.slice(1),
  url: `https://www.mixcloud.com/${name}/`,
  pictures: { small: `https://thumbnailer.mixcloud.com/unsafe/25x25/profile/${name}.jpg` },
  key: `/${name}/`,
  type: 'user',
});

const favorites = {
  name: "Chris's favorites",
  paging: {
    previous: `${ROOT}/chris/favorites/?limit=20&metadata=1&since=2017-01-04+08%3A45%3A18`,
    next: `${ROOT}/chris/favorites/?limit=20&metadata=1&until=2016-12-01+10%3A00%3A00`,
  },
  data: [
    {
      tags: [
        { url: 'https://www.mixcloud.com/discover/funk/', type: 'tag', name: 'Funk', key: '/discover/funk/' },
      ],
      play_count: 6365,
      user: user('someone'),
      key: '/someone/funky-mix/',
      created_time: '2017-01-04T07:15:37Z',
      slug: 'funky-mix',
      name: 'Funky mix',
      type: 'cloudcast',
    },
    {
      tags: [],
      play_count: 12,
      user: user('other'),
      key: '/other/mix-two/',
      created_time: '2017-01-04T09:56:10Z',
      slug: 'mix-two',
      name: 'Mix two',
      type: 'cloudcast',
    },
  ],
};

const bob = {
  ...user('bob'),
  created_time: '2010-03-29T19:12:50Z',
  metadata: {
    connections: {
      comments: `${ROOT}/bob/comments/`,
      followers: `${ROOT}/bob/followers/`,
      'listen-later': `${ROOT}/bob/listen-later/`,
    },
  },
};

/** A Mixcloud whose server answers from `routes` (path → body) and records each request. */
function fake(routes: Record<string, unknown>, options: ConstructorParameters<typeof Mixcloud>[1] = {}) {
  const calls: string[] = [];
  const mixcloud = new Mixcloud(ROOT, {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      calls.push(`${request.method} ${request.url}`);
      const body = routes[new URL(request.url).pathname] ?? { error: { type: 'NotFound', message: 'no' } };
      return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    },
    ...options,
  });
  return { mixcloud, calls };
}

describe('wrapping and AccessDict', () => {
  it('wraps items by type: numbers and strings as they are, lists, dicts, resources', () => {
    const { mixcloud } = fake({});
    const dict = new AccessDict(
      { n: 3, s: 'x', list: [1], dict: { a: 1 }, res: { type: 'user', key: '/u/' } },
      { mixcloud },
    );
    expect([dict.n, dict.s]).toEqual([3, 'x']);
    expect(dict.list).toBeInstanceOf(AccessList);
    expect(dict.dict).toBeInstanceOf(AccessDict);
    expect(dict.dict).not.toBeInstanceOf(Resource);
    expect(dict.res).toBeInstanceOf(Resource);
    expect(dict.values().map((v) => v?.constructor.name ?? typeof v)).toEqual([
      'Number',
      'String',
      'AccessList',
      'AccessDict',
      'Resource',
    ]);
    expect([...dict]).toEqual(['n', 's', 'list', 'dict', 'res']);
  });

  it('reads items by attribute and by item(); a real attribute wins; a missing one is undefined or an error', () => {
    const { mixcloud } = fake({});
    const dict = new AccessDict({ foo: 1, bar: 2, data: 'shadowed' }, { mixcloud });
    expect(dict.foo).toBe(1);
    expect(dict.item('foo')).toBe(1);
    expect(dict.get('missing', 'fallback')).toBe('fallback');
    expect(dict.missing).toBeUndefined();
    expect(() => dict.item('missing')).toThrow('no item "missing"');
    dict.bar = 15;
    expect(dict.bar).toBe(15);
    expect(dict.item('bar')).toBe(2);
    expect(dict.data).toEqual({ foo: 1, bar: 2, data: 'shadowed' });
    expect('foo' in dict).toBe(true);
    expect({ ...dict }).toMatchObject({ foo: 1 });
    expect(JSON.stringify(dict)).toBe('{"foo":1,"bar":2,"data":"shadowed"}');
  });

  it('is never mistaken for a promise, even with a "then" item', async () => {
    const { mixcloud } = fake({});
    // biome-ignore lint/suspicious/noThenProperty: the point of the test.
    const dict = new AccessDict({ then: 'not a function' }, { mixcloud });
    expect(await Promise.resolve(dict)).toBe(dict);
  });
});

describe('AccessList', () => {
  it('reads by index (negative from the end) and by the key of a resource, any slashes', () => {
    const { mixcloud } = fake({});
    const list = new AccessList([user('someuser'), user('other'), 5], { mixcloud });
    expect(list.length).toBe(3);
    expect((list[0] as Resource).key).toBe('/someuser/');
    expect(list[-1]).toBe(5);
    for (const key of ['someuser', 'someuser/', '/someuser', '/someuser/'])
      expect((list[key] as Resource).username).toBe('someuser');
    expect(list[3]).toBeUndefined();
    expect(() => list.item(3)).toThrow('3 is out of range (3 items)');
    expect(() => list.item('nobody')).toThrow('no item with key /nobody/');
    expect([...list].map((item) => item?.constructor.name ?? typeof item)).toEqual([
      'Resource',
      'Resource',
      'Number',
    ]);
  });
});

describe('Resource', () => {
  it('has a repr, connection methods (- as _) calling get(url, relative) with pagination, and no others', async () => {
    const { mixcloud, calls } = fake({ '/bob/': bob, '/bob/comments/': favorites });
    const resource = (await mixcloud.get('bob')) as Resource;
    expect(String(resource)).toBe("<Resource: User '/bob/'>");
    expect(typeof resource.comments).toBe('function');
    expect(typeof resource.followers).toBe('function');
    expect(typeof resource.listen_later).toBe('function');
    const page = (await (resource.comments as (o: object) => Promise<ResourceList>)({
      limit: 5,
      offset: 10,
    })) as ResourceList;
    expect(page.name).toBe("Chris's favorites");
    expect(calls.at(-1)).toBe(`GET ${ROOT}/bob/comments/?offset=10&limit=5&metadata=1`);
    expect(resource.nonexistent).toBeUndefined();
  });

  it('makes connections only when full and createConnections', () => {
    const { mixcloud } = fake({});
    expect(typeof new Resource(bob, { mixcloud, full: true }).comments).toBe('function');
    expect(new Resource(bob, { mixcloud }).comments).toBeUndefined();
    expect(new Resource(bob, { mixcloud, full: true, createConnections: false }).comments).toBeUndefined();
  });

  it('load() gets the key with createConnections false, merges, marks full; force loads again', async () => {
    const { mixcloud, calls } = fake({ '/bob/': { ...bob, biog: 'Hello' } });
    const partial = new Resource(user('bob'), { mixcloud });
    expect(partial.biog).toBeUndefined();
    await partial.load();
    expect(calls).toEqual([`GET ${ROOT}/bob/?metadata=1`]);
    expect(partial.biog).toBe('Hello');
    expect(partial.full).toBe(true);
    expect(typeof partial.comments).toBe('function');
    await partial.load();
    expect(calls).toHaveLength(1);
    await partial.load({ force: true });
    expect(calls).toHaveLength(2);
  });
});

describe('ResourceList', () => {
  it('reads its own items first, then falls back to data; iterates and counts data', async () => {
    const { mixcloud } = fake({ '/chris/favorites/': favorites });
    const list = (await mixcloud.get('chris/favorites')) as ResourceList;
    expect(list.name).toBe("Chris's favorites");
    expect((list[0] as Resource).play_count).toBe(6365);
    expect((list[1] as Resource).created_time).toEqual(new Date('2017-01-04T09:56:10Z'));
    expect((list['someone/funky-mix'] as Resource).name).toBe('Funky mix');
    expect(list.length).toBe(2);
    expect([...list]).toHaveLength(2);
    expect(() => list.item(2)).toThrow(/out of range/);
    expect(() => list.item('nobody/nothing')).toThrow(/no item/);
    expect(String(list)).toBe(`<ResourceList "Chris's favorites">`);
  });

  it('next() and previous() get the paging links (relative false), or give undefined', async () => {
    const { mixcloud, calls } = fake({ '/chris/favorites/': favorites });
    const list = (await mixcloud.get('chris/favorites')) as ResourceList;
    await list.next();
    expect(calls.at(-1)).toBe(`GET ${favorites.paging.next}`);
    await list.previous();
    expect(calls.at(-1)).toBe(`GET ${favorites.paging.previous}`);
    const bare = (await fake({ '/x/': { data: [] } }).mixcloud.get('x')) as ResourceList;
    expect(await bare.next()).toBeUndefined();
    expect(await bare.previous()).toBeUndefined();
    expect(String(bare)).toBe('<ResourceList>');
  });
});

describe('pluggable classes', () => {
  it('resourceClass, resourceListClass and jsonDecoderClass are used for every answer', async () => {
    class Show extends Resource {
      get title(): string {
        return String(this.data.name).toUpperCase();
      }
    }
    class Page extends (await import('../../src/compat/aiomixcloud/index.js')).ResourceList {}
    class Loud extends MixcloudJSONDecoder implements JsonDecoder {
      static override objectHook(object: Record<string, unknown>) {
        return { ...MixcloudJSONDecoder.objectHook(object), decoded: true };
      }
    }
    const { mixcloud } = fake(
      { '/chris/favorites/': favorites, '/bob/': bob },
      { resourceClass: Show, resourceListClass: Page, jsonDecoderClass: Loud },
    );
    const list = (await mixcloud.get('chris/favorites')) as ResourceList;
    expect(list).toBeInstanceOf(Page);
    expect(list.decoded).toBe(true);
    const item = list[0] as Show;
    expect(item).toBeInstanceOf(Show);
    expect(item.title).toBe('FUNKY MIX');
    expect(item.created_time).toBeInstanceOf(Date);
    expect(await mixcloud.get('bob')).toBeInstanceOf(Show);
  });

  it('the default decoder turns strict ISO dates into Dates, in objects at any depth, and nothing else', () => {
    const decoded = new MixcloudJSONDecoder().decode(
      '{"foo":"2019-02-03T04:22:18Z","name":"May","color":"020202","n":"1","list":["2019-02-03T04:22:18Z"],"deep":{"at":"2020-01-01T00:00:00+02:00"}}',
    ) as Record<string, unknown>;
    expect(decoded.foo).toEqual(new Date('2019-02-03T04:22:18Z'));
    expect([decoded.name, decoded.color, decoded.n]).toEqual(['May', '020202', '1']);
    expect(decoded.list).toEqual(['2019-02-03T04:22:18Z']);
    expect((decoded.deep as { at: Date }).at).toEqual(new Date('2019-12-31T22:00:00Z'));
  });
});
