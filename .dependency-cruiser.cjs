/**
 * The layers of src/, lowest first, as dependency-cruiser rules (`npx depcruise src` prints the
 * violations; test/layers.test.ts fails on them). A module may import its own layer and the layers
 * below it, never one above: the pipeline reads source → mapping → delivery → sinks → state, run
 * wires them, init and the CLI sit on top. The emulator stands beside the pipeline: it speaks the
 * API (api, util) and only the CLI starts it. And no import cycle anywhere.
 *
 * No exceptions today: an edge that must break a rule is listed in that rule's pathNot with a
 * comment saying why.
 */
const LAYERS = [
  // Knows nothing of DFINERY: canonical JSON, hashes, exact JSON numbers.
  ["util"],
  // The typed errors with their stable codes, thrown by every layer above.
  ["errors.ts"],
  // The API's vocabulary and rules: identities, property types, events, limits.
  ["api"],
  ["source"],
  ["mapping"],
  ["delivery"],
  ["sinks"],
  ["state"],
  // Wires the stages into a run.
  ["run"],
  // The init command drafts a mapping from a sample (reads the source, uses the mapping).
  ["init"],
  ["cli"],
  // The library's entry: exports from every layer.
  ["index.ts"],
];

/** The emulator may import only these; only EMULATOR_USERS may import it. */
const EMULATOR = "emulator";
const EMULATOR_USES = ["util", "errors.ts", "api"];
const EMULATOR_USERS = ["cli", "index.ts"];

const literal = (name) => name.replace(/\./g, "\\.");
/** A path pattern for top-level entries of src/: a folder (`src/api/…`) or a file (`src/errors.ts`). */
const entries = (names) =>
  `^src/(${names.map((n) => (n.endsWith(".ts") ? `${literal(n)}$` : `${n}/`)).join("|")})`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join("+").replace(/\.ts$/, "")}`,
  comment: `${layer.join(", ")} must not import a layer above it (${LAYERS.slice(i + 1)
    .flat()
    .join(", ")})`,
  severity: "error",
  from: { path: entries(layer) },
  to: { path: entries(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "An import cycle: move the shared piece to a file both can import.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    ...upward,
    {
      name: "emulator-beside",
      comment: `The emulator uses only ${EMULATOR_USES.join(", ")}: it must not share the importer's code.`,
      severity: "error",
      from: { path: entries([EMULATOR]) },
      to: { path: "^src/", pathNot: entries([EMULATOR, ...EMULATOR_USES]) },
    },
    {
      name: "emulator-started-by-cli",
      comment: `Only ${EMULATOR_USERS.join(", ")} may import the emulator.`,
      severity: "error",
      from: { path: "^src/", pathNot: entries([EMULATOR, ...EMULATOR_USERS]) },
      to: { path: entries([EMULATOR]) },
    },
    {
      name: "unlayered",
      comment:
        "Every file of src/ belongs to a layer (or is the emulator): add a new folder above.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^src/", pathNot: entries([...LAYERS.flat(), EMULATOR]) },
    },
    {
      name: "unlayered-importer",
      comment:
        "Every file of src/ belongs to a layer (or is the emulator): add a new folder above.",
      severity: "error",
      from: { path: "^src/", pathNot: entries([...LAYERS.flat(), EMULATOR]) },
      to: { path: "^src/" },
    },
  ],
  options: {
    // Type-only imports count: a type from a higher layer is a dependency on it all the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    includeOnly: "^src/",
  },
};
