#!/usr/bin/env node
import { runBin } from "./bin.js";

await runBin("dfinery-import");
