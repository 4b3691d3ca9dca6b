/**
 * An isolate's memo of values per owner object (a KV namespace, a session key) and string key (a host, a cookie),
 * for keys that are strings made per request. V8 looks a string up in a Map by its internalized copy, so a lookup
 * by a fresh string costs an internalization first (~750 instructions, more than the rest of the lookup:
 * bench/README.md, "Session 7"). The last key found is kept in front of the Map and compared as a string, so a
 * repeat (a page and its assets, one viewer's next request) needs no lookup. With a `limit`, the memo starts over
 * once it holds that many keys for one owner.
 */
export class StringMemo<Owner extends object, Value> {
  private readonly maps = new WeakMap<Owner, Map<string, Value>>();
  private lastOwner: Owner | null = null;
  private lastKey = "";
  private lastValue: Value | undefined;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  get(owner: Owner, key: string): Value | undefined {
    if (key === this.lastKey && owner === this.lastOwner) return this.lastValue;
    const value = this.maps.get(owner)?.get(key);
    if (value !== undefined) {
      this.lastOwner = owner;
      this.lastKey = key;
      this.lastValue = value;
    }
    return value;
  }

  set(owner: Owner, key: string, value: Value): void {
    let map = this.maps.get(owner);
    if (map === undefined) {
      map = new Map();
      this.maps.set(owner, map);
    } else if (map.size >= this.limit && !map.has(key)) {
      map.clear();
      if (owner === this.lastOwner) this.lastOwner = null;
    }
    map.set(key, value);
    if (key === this.lastKey && owner === this.lastOwner) this.lastValue = value;
  }
}
