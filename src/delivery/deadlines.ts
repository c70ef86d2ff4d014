/**
 * The deadlines of one client's requests, on one timer. Every deadline is as long, so they fall
 * due in the order the requests were sent: the requests in flight are a list in that order, and
 * the timer is armed for the first. A request that ends leaves the list, and the timer runs on:
 * when it fires, the requests past their deadline are told, and it is armed for the next one
 * (no timer set and cleared a request: 0.34 µs and ~390 bytes each; bench/README.md, issue 20).
 */
import { type Clock, systemClock } from "./pacer.js";

/** A request in flight, told when its deadline has passed. */
export abstract class Deadlined {
  /** When its deadline passes (the clock's ms); set by Deadlines.add. */
  due = 0;
  /** Its neighbours in the list; `listed` while it is in one. */
  prev: Deadlined | undefined;
  next: Deadlined | undefined;
  listed = false;

  /** The deadline passed (it is out of the list by then). */
  abstract expire(): void;
}

export class Deadlines {
  readonly #ms: number;
  readonly #clock: Clock;
  #first: Deadlined | undefined;
  #last: Deadlined | undefined;
  #timer: unknown;

  constructor(ms: number, clock: Clock = systemClock) {
    this.#ms = ms;
    this.#clock = clock;
  }

  /** Starts `request`'s deadline, `ms` from now. */
  add(request: Deadlined): void {
    request.due = this.#clock.now() + this.#ms;
    request.listed = true;
    request.prev = this.#last;
    request.next = undefined;
    if (this.#last === undefined) this.#first = request;
    else this.#last.next = request;
    this.#last = request;
    if (this.#timer === undefined) this.#arm(request.due);
  }

  /** `request` ended before its deadline; with nothing left in flight, no timer is left either. */
  remove(request: Deadlined): void {
    if (!request.listed) return;
    request.listed = false;
    const { prev, next } = request;
    if (prev === undefined) this.#first = next;
    else prev.next = next;
    if (next === undefined) this.#last = prev;
    else next.prev = prev;
    request.prev = undefined;
    request.next = undefined;
    if (this.#first === undefined) this.close();
  }

  /** No timer left (a closing client: its requests have ended). */
  close(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(at: number): void {
    this.#timer = this.#clock.setTimeout(this.#fire, Math.max(0, at - this.#clock.now()));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (let first = this.#first; first !== undefined && first.due <= now; first = this.#first) {
      this.remove(first);
      first.expire();
    }
    if (this.#first !== undefined && this.#timer === undefined) this.#arm(this.#first.due);
  };
}
