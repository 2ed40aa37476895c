/** Blob ids as `IdGenerator.next('blob')` makes them, wherever they sit inside a longer string. */
const BLOB_ID = /blob_[0-9a-f]+/g;

/**
 * Every string a state holds (values and keys), and the blob ids inside longer ones: a superset of the blob
 * ids it mentions, whatever the fields that keep them are called. A service whose state keeps each blob id
 * it uses as is gives this as its `blobsInUse`; a string that only looks like a blob id keeps a blob alive,
 * which is the safe way to be wrong.
 */
export function blobIdsIn(state: unknown): Set<string> {
  const found = new Set<string>();
  const note = (text: string) => {
    found.add(text);
    if (text.includes('blob_')) for (const match of text.matchAll(BLOB_ID)) found.add(match[0]);
  };
  const stack: unknown[] = [state];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') note(value);
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value !== null && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        note(key);
        stack.push(inner);
      }
  }
  return found;
}
