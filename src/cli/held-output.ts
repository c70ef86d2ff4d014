import { Writable } from "node:stream";

/** The most a held stream keeps; beyond it, later text is dropped (and said to be). */
const MAX_HELD_CHARS = 256 * 1024;

/**
 * `--quiet` for cron: what would go to stderr is held, and written only if the run does not exit
 * 0, so a run that exits 0 prints nothing at all (cron mails nothing) while every other exit still
 * shows its warnings and its reason.
 */
export class HeldOutput {
  readonly stream: Writable & { isTTY?: boolean };
  readonly #target: NodeJS.WritableStream;
  #held: string[] = [];
  #size = 0;
  #dropped = false;
  #released = false;

  constructor(target: NodeJS.WritableStream) {
    this.#target = target;
    this.stream = new Writable({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, done) => {
        this.#write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
        done();
      },
    });
  }

  #write(text: string): void {
    if (this.#released) {
      this.#target.write(text);
    } else if (this.#size + text.length <= MAX_HELD_CHARS) {
      this.#held.push(text);
      this.#size += text.length;
    } else {
      this.#dropped = true;
    }
  }

  /** The exit is known: write what was held unless it is 0; later text goes straight through. */
  settle(exitCode: number): void {
    if (this.#released) return;
    this.#released = true;
    const held = this.#held;
    this.#held = [];
    if (exitCode === 0) return;
    for (const text of held) this.#target.write(text);
    if (this.#dropped) this.#target.write("import-profiles: (more warnings were left out)\n");
  }
}
