/**
 * A terminal that hangs up under a run (its window closed, the ssh connection dropped: SIGHUP)
 * must not turn the run's exit into an abort. At exit, Node 20 puts each standard stream's
 * terminal back as it found it, and aborts when the terminal is gone (tcsetattr fails with EIO;
 * nodejs/node#51519, fixed later by nodejs/node#58200): SIGABRT, maybe a core dump, and the exit
 * code the run had settled on (130, stopped gracefully) lost. Node skips a descriptor that is no
 * longer the file it was at the start; so, at exit, each standard descriptor that was a terminal
 * and no longer answers as one (a hung-up terminal refuses every terminal request) is pointed at
 * /dev/null. A terminal still there is left alone.
 */
import { closeSync, openSync } from "node:fs";
import { isatty } from "node:tty";

const STANDARD = [0, 1, 2] as const;

export function releaseHungUpTerminals(process: {
  once(event: "exit", listener: () => void): unknown;
}): void {
  const terminals = STANDARD.filter((fd) => isatty(fd));
  process.once("exit", () => {
    for (const fd of terminals) {
      if (isatty(fd)) continue;
      closeSync(fd);
      try {
        // The lowest free descriptor: `fd` itself, those below it being open.
        const opened = openSync("/dev/null", "r+");
        if (opened !== fd) closeSync(opened); // `fd` left closed: Node skips that one too
      } catch {
        // no /dev/null: `fd` stays closed, which Node skips as well
      }
    }
  });
}
