"use client";

import { useId, type ReactNode } from "react";

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
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)} className="w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm">
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
      {hint && <p className="mt-1 text-xs text-slate-600">{hint}</p>}
    </div>
  );
}
