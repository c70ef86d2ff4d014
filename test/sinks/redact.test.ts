import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { endpointSecrets, plainHttpWarning, Redactor, shapeOf } from "../../src/sinks/redact.js";

describe("Redactor", () => {
  const secrets = new Redactor(['a"b\\c-token', "pass/word", "abc"]);

  it("redacts a secret as it is, JSON-escaped and URL-encoded; ignores too short ones", () => {
    expect(secrets.redact('raw a"b\\c-token, json a\\"b\\\\c-token, url pass%2Fword, abc')).toBe(
      "raw [REDACTED], json [REDACTED], url [REDACTED], abc",
    );
  });

  it("redacts the strings of a JSON value and the text writes of a stream", () => {
    expect(secrets.value({ m: ['say a"b\\c-token'], n: 1 })).toEqual({
      m: ["say [REDACTED]"],
      n: 1,
    });
    const sink = new PassThrough();
    let text = "";
    sink.on("data", (c: Buffer) => {
      text += c.toString();
    });
    const stream = secrets.stream(sink);
    stream.write("pass/word!\n");
    expect(text).toBe("[REDACTED]!\n");
    expect(stream.writable).toBe(true);
  });
});

describe("endpoint secrets and plain http", () => {
  it("takes user:password and the password from an endpoint URL", () => {
    expect(endpointSecrets("https://me:p%40ss@api.example.com/x")).toEqual([
      "me:p%40ss",
      "p%40ss",
      "p@ss",
    ]);
    expect(endpointSecrets("https://api.example.com")).toEqual([]);
  });

  it("warns of plain http to another machine only", () => {
    expect(plainHttpWarning("http://api.example.com:8080/v1")).toMatch(
      /^--endpoint http:\/\/api\.example\.com:8080 is plain http to another machine/,
    );
    for (const local of ["http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9"]) {
      expect(plainHttpWarning(local)).toBeNull();
    }
    expect(plainHttpWarning("https://api.example.com")).toBeNull();
  });
});

describe("shapeOf", () => {
  it("keeps what is wrong with a value, not whose it is", () => {
    expect(shapeOf("Lee@@Example.com")).toBe("Aaa@@Aaaaaaa.aaa");
    expect(shapeOf("2024-05-14 오후 3:05:12")).toBe("9999-99-99 xx 9:99:99");
    expect(shapeOf("José +82 10")).toBe("Aaax +99 99");
    expect(shapeOf(821012345678)).toBe("999999999999");
    expect(shapeOf({ a: ["b1"] })).toBe('{"a":["a9"]}');
  });
});
