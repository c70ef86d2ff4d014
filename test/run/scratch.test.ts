import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Scratch, sweepScratch } from "../../src/run/scratch.js";
import { ScratchClosedGroups } from "../../src/run/scratch-groups.js";
import { ROOT } from "../cli/helpers.js";

const dir = () => join(mkdtempSync(join(tmpdir(), "scratch-")), "scratch");

describe("a run's scratch database", () => {
  it("is made on first use, private, and removed when closed", () => {
    const scratch = new Scratch(undefined, dir());
    expect(scratch.path).toBeUndefined();
    scratch.db().exec("CREATE TABLE t (x)");
    const path = scratch.path as string;
    expect(statSync(path).mode & 0o777).toBe(0o600);
    scratch.close();
    expect(existsSync(path)).toBe(false);
    scratch.close(); // twice is harmless
  });

  it("sweeps the files of processes killed outright, and keeps a live one's", () => {
    const folder = dir();
    const scratch = new Scratch(undefined, folder, (pid) => pid === 4242);
    scratch.db();
    writeFileSync(join(folder, "999999-dead.sqlite"), "left by kill -9");
    writeFileSync(join(folder, "999999-dead.sqlite-journal"), "and its open transaction");
    writeFileSync(join(folder, "4242-live.sqlite"), "a run going on");
    writeFileSync(join(folder, "4242-live.sqlite-journal"), "in a transaction");
    writeFileSync(join(folder, "notes.txt"), "not ours");
    expect(sweepScratch(folder, (pid) => pid === 4242)).toBe(2);
    const own = `${process.pid}-`;
    expect(
      readdirSync(folder)
        .filter((n) => !n.startsWith(own))
        .sort(),
    ).toEqual(["4242-live.sqlite", "4242-live.sqlite-journal", "notes.txt"]);
    scratch.close();
  });

  it("left with its journal by a process killed mid-transaction, is swept by the next", () => {
    const folder = dir();
    const script = `
      import { Scratch } from ${JSON.stringify(join(ROOT, "dist/src/run/scratch.js"))};
      const db = new Scratch(undefined, ${JSON.stringify(folder)}).db();
      db.exec("CREATE TABLE t (x)");
      db.exec("BEGIN");
      const insert = db.prepare("INSERT INTO t VALUES (?)");
      for (let i = 0; i < 10_000; i++) insert.run("x".repeat(100));
      process.kill(process.pid, "SIGKILL");
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script]);
    expect(child.signal).toBe("SIGKILL");
    const left = readdirSync(folder);
    expect(left.map((n) => n.replace(/^\d+-[0-9a-z]+/, "<name>")).sort()).toEqual([
      "<name>.sqlite",
      "<name>.sqlite-journal",
    ]);
    const next = new Scratch(undefined, folder);
    next.db();
    expect(readdirSync(folder)).toEqual([basename(next.path as string)]);
    next.close();
    expect(readdirSync(folder)).toEqual([]);
  });

  it("is removed when the process dies of an uncaught error", () => {
    const folder = dir();
    const script = `
      import { Scratch } from ${JSON.stringify(join(ROOT, "dist/src/run/scratch.js"))};
      const scratch = new Scratch(undefined, ${JSON.stringify(folder)});
      scratch.db().exec("CREATE TABLE t (x)");
      console.log(scratch.path);
      throw new Error("a crash");
    `;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain("a crash");
    expect(child.stdout.trim()).toMatch(/\.sqlite$/);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe("the closed group values, on disk", () => {
  it("remember each value's first part across commits", () => {
    const scratch = new Scratch(undefined, dir());
    const closed = new ScratchClosedGroups(scratch);
    expect(closed.earlier("o1")).toBeUndefined();
    for (let i = 0; i < 25_000; i++) closed.close(`o${i}`, i * 2 + 2, i * 2 + 3);
    closed.close("o1", 90_000, 90_001); // it came back: the first part is kept
    expect(closed.earlier("o1")).toEqual({ first: 4, last: 5 });
    expect(closed.earlier("o24999")).toEqual({ first: 50_000, last: 50_001 });
    expect(closed.earlier("o25000")).toBeUndefined();
    scratch.close();
  });
});
