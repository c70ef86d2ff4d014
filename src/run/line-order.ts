/**
 * A bounded reorder buffer: items go in roughly in `line` order and come out in exact `line` order
 * (a run of several files: by file, in name order as they were read, then line) as long as no item
 * arrives more than `capacity` places late. Dead-letter records are written as
 * rows end, which is at most the read-ahead window out of line order; replaying them in line order
 * keeps a user's rows in their original order, so the last row still wins.
 */
export class LineOrder<T extends { readonly line: number; readonly file?: string | undefined }> {
  readonly #heap: { item: T; seq: number }[] = [];
  #seq = 0;

  constructor(readonly capacity: number) {}

  /** Adds an item; returns the earliest item once more than `capacity` are held. */
  push(item: T): T | undefined {
    this.#heap.push({ item, seq: this.#seq++ });
    this.#up(this.#heap.length - 1);
    return this.#heap.length > this.capacity ? this.#pop() : undefined;
  }

  /** Everything still held, in line order. */
  *drain(): Generator<T> {
    while (this.#heap.length > 0) yield this.#pop() as T;
  }

  get size(): number {
    return this.#heap.length;
  }

  #less(a: number, b: number): boolean {
    const x = this.#heap[a] as { item: T; seq: number };
    const y = this.#heap[b] as { item: T; seq: number };
    const xf = x.item.file ?? "";
    const yf = y.item.file ?? "";
    if (xf !== yf) return xf < yf;
    return x.item.line < y.item.line || (x.item.line === y.item.line && x.seq < y.seq);
  }

  #swap(a: number, b: number): void {
    const h = this.#heap;
    [h[a], h[b]] = [h[b] as { item: T; seq: number }, h[a] as { item: T; seq: number }];
  }

  #up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #pop(): T | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined) return undefined;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(l, m)) m = l;
        if (r < h.length && this.#less(r, m)) m = r;
        if (m === i) break;
        this.#swap(i, m);
        i = m;
      }
    }
    return top.item;
  }
}
