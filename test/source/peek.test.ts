import { describe, expect, test } from "vitest";
import { peek, startsWith } from "../../src/source/peek.js";
import { collect } from "./helpers.js";

/** A byte source that records whether it was closed (its iterator's `return()` was called). */
function trackedSource(...parts: string[]) {
  const state = { closed: false };
  const source: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async () => {
          const part = parts[i++];
          return part === undefined
            ? { done: true as const, value: undefined }
            : { done: false as const, value: Buffer.from(part) };
        },
        return: async () => {
          state.closed = true;
          return { done: true as const, value: undefined };
        },
      };
    },
  };
  return { source, state };
}

describe("peek", () => {
  test("gives the head and then every byte again", async () => {
    const { source } = trackedSource("ab", "cd", "ef");
    const { head, bytes } = await peek(source, 3);
    expect(head.toString()).toBe("abcd");
    expect(Buffer.concat(await collect(bytes)).toString()).toBe("abcdef");
  });

  test("a source shorter than the head is read whole", async () => {
    const { source } = trackedSource("a");
    const { head, bytes } = await peek(source, 3);
    expect(head.toString()).toBe("a");
    expect(Buffer.concat(await collect(bytes)).toString()).toBe("a");
  });

  test("stopping on the head closes the source", async () => {
    const { source, state } = trackedSource("ab", "cd", "ef");
    const { bytes } = await peek(source, 2);
    expect((await bytes.next()).value?.toString()).toBe("ab");
    await bytes.return(undefined);
    expect(state.closed).toBe(true);
  });

  test("stopping after the head closes the source", async () => {
    const { source, state } = trackedSource("ab", "cd", "ef");
    const { bytes } = await peek(source, 2);
    await bytes.next();
    await bytes.next();
    await bytes.return(undefined);
    expect(state.closed).toBe(true);
  });

  test("an error thrown into the replay on the head closes the source", async () => {
    const { source, state } = trackedSource("ab", "cd");
    const { bytes } = await peek(source, 2);
    await bytes.next();
    await expect(bytes.throw(new Error("bad header"))).rejects.toThrow("bad header");
    expect(state.closed).toBe(true);
  });

  test("startsWith compares a signature", () => {
    expect(startsWith(Buffer.from([0x1f, 0x8b, 1]), [0x1f, 0x8b])).toBe(true);
    expect(startsWith(Buffer.from([0x1f]), [0x1f, 0x8b])).toBe(false);
  });
});
