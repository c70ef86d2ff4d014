/** The stream, whose text writes go through `transform` first (everything else is the stream's own). */
export function writeThrough<S extends { write(...args: never[]): unknown }>(
  stream: S,
  transform: (text: string) => string,
): S {
  return new Proxy(stream, {
    get: (target, property) => {
      if (property === "write") {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(
            typeof chunk === "string" ? transform(chunk) : chunk,
            ...rest,
          );
      }
      const member = Reflect.get(target, property, target) as unknown;
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
}
