"use client";

import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from "react";
import { ansiCss, hasAnsi, parseAnsi, stripAnsi, type AnsiSegment } from "@/lib/logs/ansi";
import type { LogBuffer } from "@/lib/logs/logBuffer";
import type { LogLineView, StepRunView } from "@/lib/runs/runView";
import { useI18n } from "../i18n/I18nProvider";
import { FOCUS_RING } from "../ui/styles";

const STREAM_STYLE = { stdout: "text-slate-100", stderr: "text-amber-300", system: "text-sky-300" } as const;
/** Every row has this height, so the row at any scroll offset is a division away. */
const ROW_HEIGHT = 18;
/** The log box's height (h-80) until it is measured. */
const DEFAULT_VIEW_HEIGHT = 320;
/** Rows rendered beyond the visible ones on each side: smooth scrolling, and the tail in the page. */
const OVERSCAN = 100;
/** Typing pauses this long before the search runs over every line held. */
const SEARCH_DELAY_MS = 150;

export type LogStepOption = { key: string; title: string };

/**
 * The run's live log, virtualised: every line the dashboard holds can be scrolled to, but only
 * the rows in view (and some around them) are in the page, so 200 000 lines cost no more to show
 * than 200. Follows new lines unless the user scrolled up; filterable by host and by step (a
 * click on a step row above chooses it too); searchable, with every match highlighted and
 * next/previous jumping to it; ANSI colours shown as colours. Host output is only ever text in
 * the page. The whole stored log is a download away.
 */
export function LogView({
  log,
  linesVersion,
  steps,
  runId,
  stepOptions,
  stepFilter = "",
  onStepFilter,
}: {
  log: LogBuffer;
  linesVersion: number;
  steps: StepRunView[];
  runId?: string;
  /** The steps to filter by (deployments), titles in the reader's language. */
  stepOptions?: LogStepOption[];
  /** The step key whose lines alone are shown; "" for all. */
  stepFilter?: string;
  onStepFilter?: (stepKey: string) => void;
}) {
  const { t, locale } = useI18n();
  const [hostFilter, setHostFilter] = useState("");
  const [follow, setFollow] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(DEFAULT_VIEW_HEIGHT);
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const [current, setCurrent] = useState(-1);
  const box = useRef<HTMLDivElement>(null);
  const stepSelectId = useId();
  /** Where this component last scrolled the box to itself: a scroll event there is not the user's. */
  const ownScrollTop = useRef<number | null>(null);

  // Step runs are replaced on every status change, but their ids, hosts and keys never change: key on those.
  const stepsKey = steps.map((s) => `${s.id}\u0000${s.hostName}\u0000${s.stepKey}`).join("\u0001");
  const hostOfStep = useMemo(() => new Map(steps.map((s) => [s.id, s.hostName])), [stepsKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const hosts = useMemo(() => [...new Set(hostOfStep.values())], [hostOfStep]);
  const allowed = useMemo(
    () => (hostFilter || stepFilter ? new Set(steps.filter((s) => (!hostFilter || s.hostName === hostFilter) && (!stepFilter || s.stepKey === stepFilter)).map((s) => s.id)) : null),
    [stepsKey, hostFilter, stepFilter], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const logRunId = runId ?? steps[0]?.runId;

  const all = log.lines();
  const held = log.size;
  const filtered = useFilterIndex(log, linesVersion, allowed);
  const count = filtered ? filtered.length : held;
  const lineAt = (i: number): LogLineView => (filtered ? all[filtered.at(i)] : all[i]);
  const matches = useSearchIndex(log, linesVersion, filtered, count, search);

  const maxTop = Math.max(0, count * ROW_HEIGHT - viewHeight);
  const top = follow ? maxTop : Math.min(scrollTop, maxTop);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const rows: { index: number; line: LogLineView }[] = [];
  for (let i = first; i < last; i++) rows.push({ index: i, line: lineAt(i) });
  const currentRow = matches && current >= 0 && current < matches.length ? matches.at(current) : -1;

  // Following: the box is scrolled to the end before the browser paints the new rows.
  useLayoutEffect(() => {
    const element = box.current;
    if (!follow || !element) return;
    element.scrollTop = element.scrollHeight;
    ownScrollTop.current = element.scrollTop;
  }, [follow, count, viewHeight]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setViewHeight(element.clientHeight || DEFAULT_VIEW_HEIGHT);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim().toLowerCase()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  const onScroll = useCallback((event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const at = element.scrollTop;
    setScrollTop(at);
    if (ownScrollTop.current !== null && Math.abs(at - ownScrollTop.current) < 1) return;
    ownScrollTop.current = null;
    // The user scrolled: up stops following, back to the end follows again.
    setFollow(at + element.clientHeight >= element.scrollHeight - ROW_HEIGHT);
  }, []);

  /** Scrolls row `row` of the view to the middle of the box and stops following. */
  const jumpTo = useCallback(
    (row: number) => {
      const target = Math.max(0, Math.min(row * ROW_HEIGHT - (viewHeight - ROW_HEIGHT) / 2, count * ROW_HEIGHT - viewHeight));
      setFollow(false);
      setScrollTop(target);
      const element = box.current;
      if (element) {
        element.scrollTop = target;
        ownScrollTop.current = element.scrollTop;
      }
    },
    [viewHeight, count],
  );

  // A new search (or another filter) goes to the first match from where the view is, wrapping around.
  const viewTop = Math.floor(top / ROW_HEIGHT);
  const searchKey = `${search}\u0000${hostFilter}\u0000${stepFilter}`;
  const lastSearchKey = useRef(searchKey);
  useEffect(() => {
    if (lastSearchKey.current === searchKey) return;
    lastSearchKey.current = searchKey;
    if (!matches || matches.length === 0) return setCurrent(-1);
    const next = Math.max(0, matches.firstAtOrAfter(viewTop));
    setCurrent(next);
    jumpTo(matches.at(next));
  }, [searchKey, matches, viewTop, jumpTo]);

  const step = (direction: 1 | -1) => {
    if (!matches || matches.length === 0) return;
    const next = current < 0 ? (direction === 1 ? 0 : matches.length - 1) : (current + direction + matches.length) % matches.length;
    setCurrent(next);
    jumpTo(matches.at(next));
  };
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      // Enter right after typing searches at once, without waiting for the pause.
      if (query.trim().toLowerCase() !== search) setSearch(query.trim().toLowerCase());
      else step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") setQuery("");
  };

  // The download is the whole log, or one host's (the endpoint filters by host only).
  const download = logRunId ? `/api/runs/${encodeURIComponent(logRunId)}/log${hostFilter ? `?host=${encodeURIComponent(hostFilter)}` : ""}` : undefined;
  const numberLocale = locale === "zh-CN" ? "zh-CN" : "en";

  return (
    <section aria-labelledby="log-heading">
      <div className="mb-2 flex flex-wrap items-center gap-x-4 gap-y-2">
        <h2 id="log-heading" className="text-lg font-semibold">
          {t("log.heading")}
        </h2>
        <label className="text-sm">
          {t("log.host")}{" "}
          <select value={hostFilter} onChange={(e) => setHostFilter(e.target.value)} className="rounded border border-slate-300 bg-white px-1 py-0.5">
            <option value="">{t("log.all")}</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        {stepOptions && stepOptions.length > 0 && (
          // The label only names the select (not wrapping it): its options' titles ("Prepare the host")
          // must not become part of its name.
          <span className="text-sm">
            <label htmlFor={stepSelectId}>{t("log.step")}</label>{" "}
            <select
              id={stepSelectId}
              value={stepFilter}
              onChange={(e) => onStepFilter?.(e.target.value)}
              className="max-w-56 rounded border border-slate-300 bg-white px-1 py-0.5"
              data-testid="log-step-filter"
            >
              <option value="">{t("log.allSteps")}</option>
              {stepOptions.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.title}
                </option>
              ))}
            </select>
          </span>
        )}
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t("log.follow")}
        </label>
        <span className="text-sm text-slate-600" data-testid="log-line-count" data-count={held} data-shown={count}>
          {held === 1 ? t("log.line") : t("log.lines", { n: held.toLocaleString(numberLocale) })}
          {filtered ? ` ${t("log.shown", { n: count.toLocaleString(numberLocale) })}` : ""}
        </span>
        {download && (
          <a href={download} download className="text-sm text-blue-800 underline">
            {t("log.download")}
          </a>
        )}
      </div>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm" role="search">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
          placeholder={t("log.searchPlaceholder")}
          aria-label={t("log.search")}
          className="w-64 rounded border border-slate-300 bg-white px-2 py-0.5"
        />
        <button type="button" onClick={() => step(-1)} disabled={!matches?.length} aria-label={t("log.previousMatch")} title={t("log.previousMatch")} className="rounded border border-slate-300 bg-white px-2 py-0.5 disabled:opacity-40">
          ↑
        </button>
        <button type="button" onClick={() => step(1)} disabled={!matches?.length} aria-label={t("log.nextMatch")} title={t("log.nextMatch")} className="rounded border border-slate-300 bg-white px-2 py-0.5 disabled:opacity-40">
          ↓
        </button>
        {matches && (
          <span className="text-slate-600" data-testid="log-search-count" data-matches={matches.length} data-current={current + 1} aria-live="polite">
            {matches.length === 0 ? t("log.noMatch") : current >= 0 ? t("log.matchOf", { i: (current + 1).toLocaleString(numberLocale), n: matches.length.toLocaleString(numberLocale) }) : t("log.matches", { n: matches.length.toLocaleString(numberLocale) })}
          </span>
        )}
        {stepFilter && (
          <button type="button" onClick={() => onStepFilter?.("")} className="ml-auto text-blue-800 underline">
            {t("log.clearStep")}
          </button>
        )}
      </div>
      <div
        ref={box}
        role="log"
        aria-live="off"
        aria-label={t("log.region")}
        // Scrollable: reachable by keyboard, so the arrow keys and Page Up/Down scroll it.
        tabIndex={0}
        onScroll={onScroll}
        className={`h-80 overflow-auto rounded bg-slate-900 py-1 font-mono text-xs ${FOCUS_RING}`}
        style={{ overflowAnchor: "none" }}
      >
        <div style={{ height: count * ROW_HEIGHT, minWidth: "100%", width: "max-content", position: "relative" }}>
          <div style={{ transform: `translateY(${first * ROW_HEIGHT}px)` }}>
            {/* The host name in slate-400: 6.8:1 on the box, 5.6:1 on the current match's row (WCAG AA asks 4.5:1). */}
            {rows.map(({ index, line }) => (
              <div
                key={line.seq}
                className={`whitespace-pre px-3 ${STREAM_STYLE[line.stream]} ${index === currentRow ? "bg-slate-800" : ""}`}
                style={{ height: ROW_HEIGHT, lineHeight: `${ROW_HEIGHT}px` }}
                data-current-match={index === currentRow ? "" : undefined}
              >
                <span className="select-none text-slate-400">{line.stepRunId ? `${hostOfStep.get(line.stepRunId) ?? ""} ` : ""}</span>
                <LineText text={line.text} needle={search} current={index === currentRow} />
              </div>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}

/** Where `needle` occurs in `haystack` (both lower case), as [start, end) ranges. */
function rangesOf(haystack: string, needle: string): [number, number][] {
  const ranges: [number, number][] = [];
  if (!needle) return ranges;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) ranges.push([at, at + needle.length]);
  return ranges;
}

/**
 * A line's text: plain, or in styled pieces for its ANSI colours, with the search matches
 * marked. Only text nodes: nothing a host prints is ever read as markup.
 */
function LineText({ text, needle, current }: { text: string; needle: string; current: boolean }) {
  const ansi = hasAnsi(text);
  if (!ansi && !needle) return <>{text}</>;
  const segments: AnsiSegment[] = ansi ? parseAnsi(text) : [{ text, style: {} }];
  const ranges = needle ? rangesOf(segments.map((s) => s.text).join("").toLowerCase(), needle) : [];
  const nodes: ReactNode[] = [];
  let offset = 0;
  for (const segment of segments) {
    const start = offset;
    const end = offset + segment.text.length;
    // Cut the segment where matches begin and end.
    const cuts = new Set([start, end]);
    for (const [a, b] of ranges) {
      if (a > start && a < end) cuts.add(a);
      if (b > start && b < end) cuts.add(b);
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i < points.length - 1; i++) {
      const piece = segment.text.slice(points[i] - start, points[i + 1] - start);
      const styled = Object.keys(segment.style).length > 0;
      const inner = styled ? (
        <span style={ansiCss(segment.style)} data-ansi="">
          {piece}
        </span>
      ) : (
        piece
      );
      const matched = ranges.some(([a, b]) => points[i] >= a && points[i + 1] <= b);
      nodes.push(
        matched ? (
          <mark key={`${points[i]}`} className={current ? "rounded-sm bg-orange-400 text-slate-950" : "rounded-sm bg-yellow-300 text-slate-950"}>
            {inner}
          </mark>
        ) : (
          <span key={`${points[i]}`}>{inner}</span>
        ),
      );
    }
    offset = end;
  }
  return <>{nodes}</>;
}

/** Positions in `log.lines()` of the lines of some step runs, grown in place as lines are appended. */
class FilterIndex {
  private readonly positions: number[] = [];
  private scanned = 0;

  constructor(
    readonly allowed: Set<string>,
    readonly reorderVersion: number,
  ) {}

  /** Looks at the lines added since the last call only. */
  extend(lines: readonly LogLineView[]): void {
    for (let i = this.scanned; i < lines.length; i++) {
      const stepRunId = lines[i].stepRunId;
      if (stepRunId !== null && this.allowed.has(stepRunId)) this.positions.push(i);
    }
    this.scanned = lines.length;
  }

  get length(): number {
    return this.positions.length;
  }

  at(i: number): number {
    return this.positions[i];
  }
}

/**
 * The host and step filter over all lines held, without a copy of the log per render: the index
 * is built once per filter and then only extended by the lines appended since (rebuilt when a
 * backfill inserted lines before the end).
 */
function useFilterIndex(log: LogBuffer, linesVersion: number, allowed: Set<string> | null): FilterIndex | null {
  const cache = useRef<FilterIndex | null>(null);
  return useMemo(() => {
    if (!allowed) return (cache.current = null);
    let index = cache.current;
    if (!index || index.allowed !== allowed || index.reorderVersion !== log.reorderVersion) index = new FilterIndex(allowed, log.reorderVersion);
    index.extend(log.lines());
    return (cache.current = index);
  }, [log, linesVersion, allowed]); // eslint-disable-line react-hooks/exhaustive-deps
}

/** The rows of the (filtered) view whose text holds the search, grown in place as rows are added. */
class SearchIndex {
  private readonly rows: number[] = [];
  private scanned = 0;

  constructor(
    readonly needle: string,
    readonly source: FilterIndex | null,
    readonly reorderVersion: number,
  ) {}

  extend(lines: readonly LogLineView[], count: number): void {
    const { needle, source } = this;
    for (let i = this.scanned; i < count; i++) {
      const text = (source ? lines[source.at(i)] : lines[i]).text;
      if ((hasAnsi(text) ? stripAnsi(text) : text).toLowerCase().includes(needle)) this.rows.push(i);
    }
    this.scanned = count;
  }

  get length(): number {
    return this.rows.length;
  }

  at(i: number): number {
    return this.rows[i];
  }

  /** The first match at row `row` or after it; -1 when there is none. */
  firstAtOrAfter(row: number): number {
    let low = 0;
    let high = this.rows.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.rows[mid] < row) low = mid + 1;
      else high = mid;
    }
    return low < this.rows.length ? low : -1;
  }
}

/** The search over the view: built once per search and filter, then only extended by new rows. */
function useSearchIndex(log: LogBuffer, linesVersion: number, source: FilterIndex | null, count: number, needle: string): SearchIndex | null {
  const cache = useRef<SearchIndex | null>(null);
  return useMemo(() => {
    if (!needle) return (cache.current = null);
    let index = cache.current;
    if (!index || index.needle !== needle || index.source !== source || index.reorderVersion !== log.reorderVersion) index = new SearchIndex(needle, source, log.reorderVersion);
    index.extend(log.lines(), count);
    return (cache.current = index);
  }, [log, linesVersion, source, count, needle]); // eslint-disable-line react-hooks/exhaustive-deps
}
