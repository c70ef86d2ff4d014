/** A JSON object (what JSON.parse gives for `{…}`): an object that is neither null nor an array. */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
