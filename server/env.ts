import path from "node:path";
import { z } from "zod";

/** The server's settings, read and checked once at start (a typo'd PORT fails loudly, not later). */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Loopback by default: the wizard holds root passwords. Set HOST=0.0.0.0 to serve other machines. */
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Where the SQLite database and the key its secrets are encrypted with (secret.key) live. */
  DATA_DIR: z.string().min(1).default("data"),
  /** How long an SSH connection may take to be ready, and how often to probe a quiet one. */
  SSH_READY_TIMEOUT_MS: z.coerce.number().int().min(500).default(10_000),
  SSH_KEEPALIVE_INTERVAL_MS: z.coerce.number().int().min(500).default(5_000),
  SSH_KEEPALIVE_COUNT_MAX: z.coerce.number().int().min(1).default(3),
});

export type Env = z.infer<typeof envSchema> & { dataDir: string; databaseFile: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  cached = { ...parsed.data, dataDir, databaseFile: path.join(dataDir, "stackpilot.db") };
  return cached;
}
