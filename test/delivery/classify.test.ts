import { describe, expect, it } from "vitest";
import { classify } from "../../src/delivery/classify.js";

const body = (code: string, status = code === "20000") =>
  JSON.stringify({ status, code, message: `m${code}`, data: status });

describe("classify", () => {
  it("accepts only an HTTP 2xx whose body says 20000", () => {
    expect(classify({ status: 200, text: body("20000"), rate: {} }).kind).toBe("accepted");
  });

  it("judges each answer by its own text and status, the same text read again or after another", () => {
    const ok = body("20000");
    const refused = body("40001");
    const kinds = [
      classify({ status: 200, text: ok, rate: {} }),
      classify({ status: 200, text: ok, rate: {} }),
      classify({ status: 200, text: refused, rate: {} }),
      classify({ status: 200, text: ok, rate: {} }),
      classify({ status: 500, text: ok, rate: {} }), // an OK body with a failing status
      classify({ status: 200, text: "", rate: {} }),
      classify({ status: 200, text: ok, rate: {} }),
    ].map((r) => r.kind);
    expect(kinds).toEqual([
      "accepted",
      "accepted",
      "permanent",
      "accepted",
      "transient",
      "transient",
      "accepted",
    ]);
  });

  it("treats an HTTP 200 with a failure code as that failure", () => {
    expect(classify({ status: 200, text: body("40001"), rate: {} })).toMatchObject({
      kind: "permanent",
      code: "40001",
      message: "m40001",
    });
    expect(classify({ status: 200, text: body("40000"), rate: {} }).kind).toBe("permanent");
    expect(classify({ status: 200, text: body("40403"), rate: {} }).kind).toBe("permanent");
  });

  it("stops the run on a bad service id or token, naming which", () => {
    const service = classify({ status: 200, text: body("40101"), rate: {} });
    const token = classify({ status: 200, text: body("40201"), rate: {} });
    expect(service).toMatchObject({ kind: "fatal", code: "40101" });
    expect(token).toMatchObject({ kind: "fatal", code: "40201" });
    expect(service.kind === "fatal" && service.message).toMatch(/service id/);
    expect(token.kind === "fatal" && token.message).toMatch(/access token/);
  });

  it("sees a rate limit in 40401 and in HTTP 429, with or without a body", () => {
    const rate = { remaining: 0, resetAtMs: 1_000 };
    expect(classify({ status: 200, text: body("40401"), rate })).toMatchObject({
      kind: "rate-limited",
      rate,
    });
    expect(classify({ status: 429, text: "", rate }).kind).toBe("rate-limited");
    expect(classify({ status: 429, text: body("40401"), rate, retryAfterMs: 5 })).toMatchObject({
      kind: "rate-limited",
      retryAfterMs: 5,
    });
  });

  it("retries server errors: 50000, HTTP 5xx, and a 2xx it cannot read", () => {
    expect(classify({ status: 200, text: body("50000"), rate: {} }).kind).toBe("transient");
    expect(classify({ status: 500, text: body("50000"), rate: {} }).kind).toBe("transient");
    expect(classify({ status: 503, text: "<html>", rate: {} })).toMatchObject({
      kind: "transient",
      code: "HTTP_503",
    });
    expect(classify({ status: 200, text: "not json", rate: {} })).toMatchObject({
      kind: "transient",
      code: "BAD_RESPONSE",
    });
    expect(classify({ status: 200, text: undefined, rate: {} }).kind).toBe("transient");
  });

  it("dead-letters an HTTP 400 at once, keeping the body's code when there is one", () => {
    expect(classify({ status: 400, text: "", rate: {} })).toMatchObject({
      kind: "permanent",
      code: "HTTP_400",
    });
    expect(classify({ status: 400, text: body("40000"), rate: {} })).toMatchObject({
      kind: "permanent",
      code: "40000",
    });
  });

  it("treats HTTP 401 and 403 as refused credentials", () => {
    expect(classify({ status: 401, text: "", rate: {} })).toMatchObject({
      kind: "fatal",
      message: "the API refused the credentials (HTTP 401)", // not "HTTP 401 HTTP 401"
    });
    expect(
      classify({
        status: 401,
        text: '{"status":false,"code":"40100","message":"expired"}',
        rate: {},
      }),
    ).toMatchObject({
      message: "the API refused the credentials (HTTP 401: expired)",
    });
    expect(classify({ status: 403, text: "", rate: {} }).kind).toBe("fatal");
  });
});

describe("classify: a wrong endpoint", () => {
  it("stops the run on a 404 or 405 without an API body instead of failing every row", () => {
    expect(classify({ status: 404, text: "Not Found", rate: {} })).toMatchObject({
      kind: "fatal",
      code: "HTTP_404",
    });
    expect(classify({ status: 405, text: "", rate: {} }).kind).toBe("fatal");
  });
});
