"use client";

import { useQuery } from "@tanstack/react-query";
import { api, queryKeys } from "@/lib/api/apiClient";
import { portMatrix, WIZARD, type PortCell } from "@/lib/runs/portMatrix";
import type { PortCheckView, PortExpectationView, RunHost } from "@/lib/runs/runView";
import type { Translate } from "@/lib/i18n/translate";
import { useI18n } from "../i18n/I18nProvider";

export { SERVICE_PORTS } from "@/lib/runs/portMatrix";

const CELL_STYLE: Record<PortCell["state"], string> = {
  open: "bg-green-200 text-green-900",
  closed: "bg-red-200 text-red-900",
  waiting: "bg-slate-100 text-slate-500",
  none: "bg-white text-slate-300",
};

/** The port probe's reasons (server/deploy/portProbe.ts) in the reader's language; anything else as it came. */
function reasonText(reason: string | null, t: Translate): string {
  if (!reason) return "?";
  if (reason === "connection refused") return t("ports.reason.refused");
  const timeout = /^no answer within (\d+(?:\.\d+)?) s$/.exec(reason);
  return timeout ? t("ports.reason.timeout", { n: timeout[1] }) : reason;
}

/**
 * Hosts × service ports: a row per route (from this machine and from each compute to the
 * controller), a cell per port, live from the run's port checks. Green open, red with the reason,
 * a dot until checked, a dash where nothing is checked. A run that checks no ports says so.
 */
export function PortMatrix({ runId, hosts, ports, initialChecks }: { runId: string; hosts?: RunHost[]; ports?: PortExpectationView[]; initialChecks?: PortCheckView[] | null }) {
  const { t } = useI18n();
  // Kept current by the stream (each new check, and a refetch on every connect).
  const { data = [] } = useQuery({ queryKey: queryKeys.portChecks(runId), queryFn: () => api.portChecks(runId), initialData: initialChecks ?? undefined, staleTime: initialChecks ? Infinity : 0 });
  const matrix = portMatrix({ hosts, expectations: ports, checks: data });
  const source = (name: string) => (name === WIZARD ? t("ports.thisMachine") : name);
  const failures = matrix.rows.flatMap((row) => row.cells.filter((cell) => cell.state === "closed").map((cell) => ({ row, cell })));
  return (
    <section aria-labelledby="ports-heading">
      <h2 id="ports-heading" className="mb-1 text-lg font-semibold">
        {t("ports.heading")}
      </h2>
      {matrix.rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="port-matrix-empty">
          {t("ports.empty")}
        </p>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600">{t("ports.intro")}</p>
          <div className="overflow-x-auto">
            <table className="text-center text-xs" data-testid="port-matrix">
              <thead>
                <tr>
                  <th className="px-2 py-1 text-left font-medium">{t("ports.fromTo")}</th>
                  {matrix.ports.map((port) => (
                    <th key={port} scope="col" className="px-2 py-1 font-mono font-medium" title={matrix.rows.flatMap((r) => r.cells).find((c) => c.port === port && c.label)?.label ?? undefined}>
                      {port}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {matrix.rows.map((row) => {
                  const route = `${row.from}→${row.to}`;
                  return (
                    <tr key={route} data-route={route}>
                      <th scope="row" className="whitespace-nowrap px-2 py-1 text-left font-medium">
                        {source(row.from)} → {row.to}
                      </th>
                      {row.cells.map((cell) => {
                        const what = { port: cell.port, label: cell.label ?? cell.port, to: row.to, from: source(row.from) };
                        const title =
                          cell.state === "open"
                            ? t("ports.openTitle", what)
                            : cell.state === "closed"
                              ? t("ports.closedTitle", { ...what, reason: reasonText(cell.error, t) })
                              : cell.state === "waiting"
                                ? t("ports.waitingTitle")
                                : t("ports.notCheckedTitle");
                        return (
                          <td
                            key={cell.port}
                            data-testid={`port-${row.from}-${row.to}-${cell.port}`}
                            data-port={cell.port}
                            data-route={route}
                            data-state={cell.state}
                            data-open={cell.state === "open" ? "true" : cell.state === "closed" ? "false" : undefined}
                            title={title}
                            className={`min-w-12 border border-white px-2 py-1 ${CELL_STYLE[cell.state]}`}
                          >
                            {cell.state === "open" ? t("ports.open") : cell.state === "closed" ? t("ports.closed") : cell.state === "waiting" ? t("ports.waiting") : t("ports.notChecked")}
                            {cell.state === "closed" && <span className="sr-only">: {reasonText(cell.error, t)}</span>}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="mt-1 text-xs text-slate-500">{t("ports.legend")}</p>
          {failures.length > 0 && (
            <ul className="mt-2 space-y-0.5 text-sm text-red-800" data-testid="port-failures">
              {failures.map(({ row, cell }) => (
                <li key={`${row.from}→${row.to}:${cell.port}`}>{t("ports.failure", { from: source(row.from), to: row.to, port: cell.port, label: cell.label ?? cell.port, reason: reasonText(cell.error, t) })}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
