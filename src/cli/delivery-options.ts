/** The delivery of a run that sends: service id, token (read once, redacted), limits. */
import { DEFAULT_BREAKER } from "../delivery/breaker.js";
import { UsageError } from "../errors.js";
import type { DeliveryConfig } from "../run/config.js";
import { plainHttpWarning } from "../sinks/redact.js";
import type { CliOptions } from "./args.js";
import type { Io } from "./io.js";
import { readToken } from "./token.js";

/** From the command line and the environment; warns of a token others can read and plain http. */
export function deliveryConfig(options: CliOptions, io: Io): DeliveryConfig {
  if (options.serviceId === undefined || options.serviceId.trim() === "") {
    throw new UsageError(
      "no service id: pass --service-id ID or set DFINERY_SERVICE_ID (or use --dry-run)",
    );
  }
  const warn = (message: string) => io.stderr.write(`${io.name}: warning: ${message}\n`);
  const accessToken = readToken(options.tokenFile, io.env, warn);
  io.secrets.add(accessToken);
  const plainHttp = plainHttpWarning(options.endpoint);
  if (plainHttp !== null) warn(plainHttp);
  return {
    endpoint: options.endpoint,
    serviceId: options.serviceId.trim(),
    accessToken,
    rate: options.rate,
    concurrency: options.concurrency,
    maxAttempts: options.maxAttempts,
    maxWaitMs: options.maxWaitMs,
    breaker: { ...DEFAULT_BREAKER, maxErrorRate: options.maxErrorRate },
    canary: options.canary,
  };
}
