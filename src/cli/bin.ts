/**
 * What every bin entry does: main() on the process's own streams, signals relayed (signal-relay.ts),
 * and the exit code set. The only place, with the relay's forced exit, that ends the process.
 */
import type { Bin } from "./args.js";
import { releaseHungUpTerminals } from "./hung-up-terminal.js";
import { main } from "./main.js";
import { setProcessSettings } from "./process-settings.js";
import { relaySignals } from "./signal-relay.js";

export async function runBin(bin: Bin): Promise<void> {
  setProcessSettings();
  releaseHungUpTerminals(process);
  const exit = (code: number) => process.exit(code);
  const relay = relaySignals(process, exit);
  const code = await main(
    process.argv.slice(2),
    {
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: process.stdin,
      env: process.env,
      signals: relay.signals,
      exit,
    },
    bin,
  );
  relay.settle(code);
  process.exitCode = code;
}
