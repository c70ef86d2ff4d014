#!/usr/bin/env node
/** `dfinery-emulator`: `dfinery-import emulator`. */
import { runBin } from "./bin.js";

await runBin("dfinery-emulator");
