#!/usr/bin/env node
import { startEarlyRowsFor } from "./early-state.js";

// Before the other modules load: a state file's known rows are read meanwhile (early-state.ts).
startEarlyRowsFor("dfinery-import", process.argv.slice(2));
const { runBin } = await import("./bin.js");
await runBin("dfinery-import");
