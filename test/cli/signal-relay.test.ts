import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { relaySignals } from "../../src/cli/signal-relay.js";

function relay() {
  const process = new EventEmitter();
  const exits: number[] = [];
  const r = relaySignals(process, (code) => exits.push(code));
  return { process, exits, ...r };
}

describe("the bin's signal relay", () => {
  it("ends the process with 130 for a signal before the run holds the signals", () => {
    const { process, exits } = relay();
    process.emit("SIGTERM");
    process.emit("SIGINT");
    process.emit("SIGHUP");
    expect(exits).toEqual([130, 130, 130]);
  });

  it("takes SIGHUP as it takes SIGTERM: a closed terminal never kills the process by the signal", () => {
    const { process, exits, signals } = relay();
    const heard: string[] = [];
    signals.on("SIGHUP", () => heard.push("SIGHUP"));
    process.emit("SIGHUP");
    expect(heard).toEqual(["SIGHUP"]);
    expect(exits).toEqual([]);
  });

  it("gives a signal to the run while it listens, and does not exit", () => {
    const { process, exits, signals } = relay();
    const heard: string[] = [];
    const onTerm = () => heard.push("SIGTERM");
    signals.on("SIGTERM", onTerm);
    signals.on("SIGINT", () => heard.push("SIGINT"));
    process.emit("SIGTERM");
    process.emit("SIGINT");
    expect(heard).toEqual(["SIGTERM", "SIGINT"]);
    expect(exits).toEqual([]);
    signals.off("SIGTERM", onTerm);
    process.emit("SIGTERM");
    expect(exits).toEqual([130]);
  });

  it("ends the process with the run's code for a signal while it winds down", () => {
    const { process, exits, settle } = relay();
    settle(1);
    process.emit("SIGINT");
    expect(exits).toEqual([1]);
  });
});
