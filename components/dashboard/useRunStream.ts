"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { io, type Socket } from "socket.io-client";
import { api, queryKeys } from "@/lib/api/apiClient";
import { LogBuffer } from "@/lib/logs/logBuffer";
import type { BackfillPage, ClientToServerEvents, ServerToClientEvents, Subscription, TransferView } from "@/lib/realtime/runEvents";
import { mergeRun, mergeRunSnapshot, type PortCheckView, type RunView } from "@/lib/runs/runView";

export type StreamState = "connecting" | "live" | "reconnecting";

/**
 * A run kept live: its status and step runs in the query cache, its log in a LogBuffer. On every
 * (re)connect it joins the run's room first and then asks for the lines after the last one it has
 * without a gap, page by page; lines that arrive twice are dropped by seq.
 */
export function useRunStream(runId: string, initialRun?: RunView | null) {
  const queryClient = useQueryClient();
  // The socket keeps the run current from here on (and merges a fresh snapshot on every connect):
  // the run the page gave is not fetched again at once.
  const run = useQuery({ queryKey: queryKeys.run(runId), queryFn: () => api.getRun(runId), initialData: initialRun ?? undefined, staleTime: initialRun ? Infinity : 0 });
  const buffer = useRef(new LogBuffer());
  const [linesVersion, setLinesVersion] = useState(0);
  const [state, setState] = useState<StreamState>("connecting");
  /** File transfers under way, by step run (live only: a page opened mid-transfer sees the next report). */
  const [transfers, setTransfers] = useState<ReadonlyMap<string, TransferView>>(new Map());

  useEffect(() => {
    const log = buffer.current;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ["websocket"] });
    let frame: number | undefined;
    // Many lines a second must not mean many renders a second: one per animation frame at most.
    const linesChanged = () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        setLinesVersion((v) => v + 1);
      });
    };
    const runKey = queryKeys.run(runId);

    const onPage = (response: ({ ok: true } & BackfillPage) | { ok: false; error: string }) => {
      if (!response.ok) return;
      if (log.add(response.lines) > 0) linesChanged();
      if (response.hasMore) socket.emit("run:backfill", { runId, afterSeq: log.contiguousSeq() }, onPage);
    };

    socket.on("connect", () => {
      setState("live");
      socket.emit("run:subscribe", { runId, afterSeq: log.contiguousSeq() }, (response: ({ ok: true } & Subscription) | { ok: false; error: string }) => {
        // The run as it was after joining: whatever changed while we were away.
        if (response.ok) queryClient.setQueryData<RunView>(runKey, (held) => mergeRunSnapshot(held, response.run));
        void queryClient.invalidateQueries({ queryKey: queryKeys.portChecks(runId) });
        onPage(response);
      });
    });
    socket.on("disconnect", () => setState("reconnecting"));
    socket.on("run:lines", (payload) => {
      if (payload.runId === runId && log.add(payload.lines) > 0) linesChanged();
    });
    socket.on("run:step", ({ runId: id, stepRun }) => {
      if (id === runId) queryClient.setQueryData<RunView>(runKey, (held) => held && mergeRun(held, { stepRun }));
    });
    socket.on("run:port", ({ runId: id, check }) => {
      if (id === runId) queryClient.setQueryData<PortCheckView[]>(queryKeys.portChecks(runId), (held) => [...(held ?? []), check]);
    });
    socket.on("run:transfer", ({ runId: id, transfer }) => {
      if (id === runId) setTransfers((held) => new Map(held).set(transfer.stepRunId, transfer));
    });
    socket.on("run:status", ({ runId: id, run: summary }) => {
      if (id === runId) queryClient.setQueryData<RunView>(runKey, (held) => held && mergeRun(held, { summary }));
    });
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      socket.disconnect();
    };
  }, [runId, queryClient]);

  return { run, log: buffer.current, linesVersion, state, transfers };
}
