/**
 * npm run report -- --run ID [--format html|md|json] [--lang en|zh-CN] [--out FILE]
 *
 * Writes the install report of a deployment from the database in DATA_DIR (default data/): the
 * same file as the dashboard's "Export install report". On stdout without --out.
 */
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isLocale, LOCALES, type Locale } from "../lib/i18n/locale";
import { isReportFormat, REPORT_FORMATS } from "../lib/report/renderReport";
import { env } from "../server/env";
import { RunEventHub } from "../server/realtime/runEventHub";
import { exportReport, ReportRefused } from "../server/report/loadReport";
import { SecretKeyError } from "../server/secrets/secretKeyFile";
import { openStores, type Stores } from "../server/store/stores";

const USAGE = `Usage: npm run report -- --run ID [--format ${REPORT_FORMATS.join("|")}] [--lang ${LOCALES.join("|")}] [--out FILE]`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: { run: { type: "string" }, format: { type: "string", default: "html" }, lang: { type: "string", default: "en" }, out: { type: "string" } },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
}

const values = readArgs();
if (!values.run) fail(USAGE);
if (!isReportFormat(values.format)) fail(`--format must be one of ${REPORT_FORMATS.join(", ")}, not ${values.format}`);
if (!isLocale(values.lang)) fail(`--lang must be one of ${LOCALES.join(", ")}, not ${values.lang}`);

function readEnv() {
  try {
    return env();
  } catch (error) {
    fail((error as Error).message);
  }
}

const settings = readEnv();
if (!existsSync(settings.databaseFile)) fail(`No StackPilot database at ${settings.databaseFile} (set DATA_DIR to the directory that holds stackpilot.db).`);

let stores: Stores | undefined;
try {
  // The report masks the plan's secrets, so the stores open the key that opens them (as the server's start does).
  stores = await openStores(settings, new RunEventHub());
  const report = await exportReport(stores, values.run, values.format, { locale: values.lang as Locale });
  if (!report) fail(`No run ${values.run} in ${settings.databaseFile}.`);
  if (values.out) {
    writeFileSync(values.out, report.body);
    console.error(`wrote ${values.out} (${Buffer.byteLength(report.body)} bytes)`);
  } else {
    process.stdout.write(report.body);
  }
} catch (error) {
  if (error instanceof ReportRefused || error instanceof SecretKeyError) fail(error.message);
  throw error;
} finally {
  await stores?.close();
}
