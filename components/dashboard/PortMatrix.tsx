"use client";

import { useQuery } from "@tanstack/react-query";
import { api, queryKeys } from "@/lib/api/apiClient";
import type { PortCheckView } from "@/lib/runs/runView";

export const SERVICE_PORTS = [3306, 5672, 25672, 15672, 11211, 2379, 2380, 5000, 9292];

/** Rows: where a check came from; columns: the service ports. Green open, red with the reason, blank not checked yet. */
export function PortMatrix({ runId }: { runId: string }) {
  const { data = [] } = useQuery({ queryKey: queryKeys.portChecks(runId), queryFn: () => api.portChecks(runId) });
  const latest = new Map<string, PortCheckView>();
  for (const check of data) latest.set(`${check.fromHost}→${check.toHost}:${check.port}`, check);
  const routes = [...new Set(data.map((c) => `${c.fromHost}→${c.toHost}`))];
  if (routes.length === 0) return null;
  return (
    <section aria-labelledby="ports-heading">
      <h2 id="ports-heading" className="mb-2 text-lg font-semibold">
        Service ports
      </h2>
      <table className="text-center text-xs" data-testid="port-matrix">
        <thead>
          <tr>
            <th className="px-2 py-1 text-left font-medium">from → to</th>
            {SERVICE_PORTS.map((port) => (
              <th key={port} className="px-2 py-1 font-mono font-medium">
                {port}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {routes.map((route) => (
            <tr key={route}>
              <th className="px-2 py-1 text-left font-medium">{route.replace("wizard", "this machine")}</th>
              {SERVICE_PORTS.map((port) => {
                const check = latest.get(`${route}:${port}`);
                const tone = !check ? "bg-slate-100" : check.open ? "bg-green-200 text-green-900" : "bg-red-200 text-red-900";
                return (
                  <td key={port} data-port={port} data-route={route} data-open={check ? String(check.open) : undefined} title={check?.error ?? undefined} className={`border border-white px-2 py-1 ${tone}`}>
                    {!check ? "·" : check.open ? "open" : "closed"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
