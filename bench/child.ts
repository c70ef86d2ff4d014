/** Helpers shared by the benchmarks: the emulator as a child process, and timing a child's run. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** A built file under dist/src, from this file's place in dist/bench (or bench/ in the source tree). */
export function builtPath(relativeToSrc: string): string {
  const base = import.meta.url.endsWith(".ts") ? "../dist/src/" : "../src/";
  return fileURLToPath(new URL(base + relativeToSrc, import.meta.url));
}

export interface RunningEmulator {
  readonly url: string;
  /** Stops it and returns what it printed on stopping ("stopped after N requests, M accepted"). */
  close(): Promise<string>;
}

/** Starts `dfinery-emulator` as its own process, so it does not share a JS thread with the client. */
export async function startEmulatorChild(args: readonly string[]): Promise<RunningEmulator> {
  const child = spawn(
    process.execPath,
    [builtPath("cli/dfinery-emulator.js"), "--port", "0", ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let text = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    text += chunk;
  });
  const url = await listeningUrl(child, () => text);
  return {
    url,
    async close(): Promise<string> {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
      return text.split("\n").slice(1).join("\n").trim();
    },
  };
}

/** The emulator with no rate limit, accepting `token` for `serviceId`: what throughput benches talk to. */
export function startUnlimitedEmulatorChild(
  token: string,
  serviceId: string,
): Promise<RunningEmulator> {
  return startEmulatorChild(["--limit", "none", "--token", token, "--service-id", serviceId]);
}

function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /^listening on (\S+)\n/.exec(output());
      if (match?.[1] !== undefined) {
        child.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => reject(new Error(`emulator exited ${code} before listening`)));
    child.once("error", reject);
  });
}

/** CPU time (user and system) of this process since `start`, µs. */
export function cpuMicros(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return user + system;
}

/** Runs a built script in a fresh Node process and parses the JSON it prints last. */
export async function runChildJson<T>(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<T> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  let out = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(child, "exit")) as [number | null];
  const last = out.trim().split("\n").pop() ?? "";
  if (code !== 0 && code !== 1) throw new Error(`${script} exited ${code}: ${out.slice(-500)}`);
  return JSON.parse(last) as T;
}
