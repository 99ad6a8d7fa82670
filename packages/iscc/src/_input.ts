// The byte sources codes accept: one buffer, sync or async iterables of buffers (Node streams), or a
// WHATWG ReadableStream (a browser File's stream()), read piece by piece so a large file never has to
// sit in memory whole.
export type ByteSource =
  | Uint8Array
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | ReadableStream<Uint8Array>;

export async function* piecesOf(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const piece of source as AsyncIterable<Uint8Array>) yield piece;
}
