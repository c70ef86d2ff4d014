/**
 * What every bin entry does: main() on the process's own streams, signals relayed (signal-relay.ts),
 * and the process ended with main's code. The only place, with the relay's forced exit, that ends
 * the process.
 *
 * It ends by process.exit once the event loop has nothing left to do ('beforeExit': every write to
 * stdout, stderr and the files done), never by Node's own teardown: that teardown closes the signal
 * listeners first, and libuv puts each signal's default action back as its last listener goes, so a
 * SIGHUP in the milliseconds it takes (a closing terminal sends two, the second late on a loaded
 * machine) killed a run whose report and state were already written, its 130 lost. process.exit
 * leaves the listeners in place to the end: a signal that late changes nothing.
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
  process.once("beforeExit", () => exit(code));
}
