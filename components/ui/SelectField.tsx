"use client";

import { useId, type ReactNode } from "react";
import { inputClass } from "./styles";

type Props<T extends string> = {
  label: string;
  value: T;
  options: readonly T[];
  optionLabel: (value: T) => string;
  onChange: (value: T) => void;
  hint?: ReactNode;
  className?: string;
};

/** A labelled choice among a fixed list of values (a constant list that doubles as a type). */
export function SelectField<T extends string>({ label, value, options, optionLabel, onChange, hint, className }: Props<T>) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)} aria-describedby={hint ? hintId : undefined} className={`w-full ${inputClass(false)}`}>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
      {hint && (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
