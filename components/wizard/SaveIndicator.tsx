import type { SaveState } from "./usePlanDraft";

/** Tells the user whether what they typed is safely stored. */
export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  if (state.status === "error") {
    return (
      <p role="alert" className="text-sm text-red-700">
        Not saved: {state.message}{" "}
        <button type="button" onClick={onRetry} className="underline">
          Try again
        </button>
      </p>
    );
  }
  const text = { idle: "", saving: "Saving…", saved: "All changes saved" }[state.status];
  return (
    <p aria-live="polite" className="text-sm text-slate-600">
      {text}
    </p>
  );
}
