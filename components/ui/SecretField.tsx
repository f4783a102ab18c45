"use client";

import { useId, useState } from "react";
import { Button } from "./Button";

type Props = {
  label: string;
  /** The server already holds a value. */
  isSet: boolean;
  onChange: (value: string) => void;
  error?: string;
  multiline?: boolean;
  /** Offers "Generate strong": fills in a value and shows it once, to be noted down. */
  generate?: () => string;
  /** A warning about the typed value (weak, a placeholder), shown under the field. */
  warn?: (value: string) => string | null;
};

/**
 * A write-only secret: once saved it shows as "set" and is never sent back to the browser. The
 * user can replace it, not read it.
 */
export function SecretField({ label, isSet, onChange, error, multiline, generate, warn }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  // What was typed stays in the field while the user is on the page, even once saved.
  const [value, setValue] = useState("");
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const showInput = !isSet || editing;
  const warning = warn?.(value) ?? null;
  const change = (next: string) => {
    setValue(next);
    setEditing(true);
    onChange(next);
  };
  const common = {
    id,
    value,
    autoComplete: "off",
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
    className: `w-full rounded border px-2 py-1.5 text-sm font-mono ${error ? "border-red-600 bg-red-50" : "border-slate-300 bg-white"}`,
  };
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      {showInput ? (
        multiline ? (
          <textarea {...common} rows={5} spellCheck={false} onChange={(e) => change(e.target.value)} placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" />
        ) : (
          <div className="flex gap-2">
            <input {...common} type={revealed ? "text" : "password"} onChange={(e) => change(e.target.value)} />
            {generate && (
              <Button
                onClick={() => {
                  change(generate());
                  setRevealed(true);
                }}
                aria-label={`Generate a strong ${label.toLowerCase()}`}
              >
                Generate
              </Button>
            )}
          </div>
        )
      ) : (
        <div className="flex items-center gap-3">
          <span className="text-sm text-green-800" id={id}>
            Saved (hidden)
          </span>
          <Button onClick={() => setEditing(true)} aria-label={`Change ${label.toLowerCase()}`}>
            Change
          </Button>
        </div>
      )}
      {showInput && revealed && <p className="mt-1 text-xs text-slate-700">Copy it now if you need it: once saved it is never shown again.</p>}
      {showInput && warning && <p className="mt-1 text-xs text-amber-800">{warning}</p>}
      {error && (
        <p id={errorId} role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
