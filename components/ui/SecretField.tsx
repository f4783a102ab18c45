"use client";

import { useEffect, useId, useRef, useState } from "react";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "./Button";
import { inputClass } from "./styles";

type Props = {
  label: string;
  /** The server already holds a value. */
  isSet: boolean;
  onChange: (value: string) => void;
  error?: string;
  multiline?: boolean;
  /** Offers "Generate strong": fills in a value and shows it once, to be noted down. */
  generate?: () => string;
  /** A warning about the typed value (weak, a placeholder), already in the reader's language. */
  warn?: (value: string) => string | null;
};

/**
 * A write-only secret: once saved it shows as "set" and is never sent back to the browser. The
 * user can replace it, not read it.
 */
export function SecretField({ label, isSet, onChange, error, multiline, generate, warn }: Props) {
  const { t } = useI18n();
  const id = useId();
  const errorId = `${id}-error`;
  const warningId = `${id}-warning`;
  const noteId = `${id}-note`;
  const labelId = `${id}-label`;
  // What was typed stays in the field while the user is on the page, even once saved.
  const [value, setValue] = useState("");
  const [editing, setEditing] = useState(false);
  const [revealed, setRevealed] = useState(false);
  // "Change" replaces itself with the field: keyboard focus goes there instead of being lost.
  const [focusField, setFocusField] = useState(false);
  const fieldRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focusField) {
      fieldRef.current?.focus();
      setFocusField(false);
    }
  }, [focusField]);
  const showInput = !isSet || editing;
  const warning = warn?.(value) ?? null;
  const change = (next: string) => {
    setValue(next);
    setEditing(true);
    onChange(next);
  };
  const describedBy = [error && errorId, showInput && warning && warningId, showInput && revealed && noteId].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    ref: fieldRef,
    value,
    autoComplete: "off",
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    className: `w-full font-mono ${inputClass(Boolean(error))}`,
  };
  return (
    <div>
      {showInput ? (
        <label htmlFor={id} id={labelId} className="mb-1 block text-sm font-medium text-slate-800">
          {label}
        </label>
      ) : (
        <span id={labelId} className="mb-1 block text-sm font-medium text-slate-800">
          {label}
        </span>
      )}
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
                aria-label={t("wizard.secret.generateLabel", { label })}
              >
                {t("wizard.secret.generate")}
              </Button>
            )}
          </div>
        )
      ) : (
        <div role="group" aria-labelledby={labelId} className="flex items-center gap-3">
          <span className="text-sm text-green-800">{t("wizard.secret.savedHidden")}</span>
          <Button
            onClick={() => {
              setEditing(true);
              setFocusField(true);
            }}
            aria-label={t("wizard.secret.changeLabel", { label })}>
            {t("wizard.secret.change")}
          </Button>
        </div>
      )}
      {showInput && revealed && (
        <p id={noteId} className="mt-1 text-xs text-slate-700">
          {t("wizard.secret.copyNow")}
        </p>
      )}
      {showInput && warning && (
        <p id={warningId} className="mt-1 text-xs text-amber-800">
          {warning}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
