"use client";

import { useId, type ReactNode } from "react";
import { FOCUS_RING } from "./styles";

type Props<T extends string> = {
  legend: string;
  value: T;
  options: readonly T[];
  optionLabel: (value: T) => string;
  /** What choosing this option means, read with it by screen readers. */
  optionHint?: (value: T) => ReactNode;
  onChange: (value: T) => void;
  className?: string;
};

/**
 * A labelled choice among a few values, each explained under it: native radio buttons in a
 * fieldset, so the arrow keys move the choice and screen readers announce the group's legend.
 */
export function RadioGroupField<T extends string>({ legend, value, options, optionLabel, optionHint, onChange, className }: Props<T>) {
  const id = useId();
  return (
    <fieldset className={className}>
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      <div className="space-y-2">
        {options.map((option) => {
          const inputId = `${id}-${option}`;
          const hint = optionHint?.(option);
          return (
            <div key={option} className="flex items-start gap-2">
              <input
                id={inputId}
                type="radio"
                name={id}
                value={option}
                checked={option === value}
                onChange={() => onChange(option)}
                aria-describedby={hint ? `${inputId}-hint` : undefined}
                className={`mt-1 h-4 w-4 accent-blue-700 ${FOCUS_RING}`}
              />
              <div>
                <label htmlFor={inputId} className="text-sm font-medium text-slate-900">
                  {optionLabel(option)}
                </label>
                {hint && (
                  <p id={`${inputId}-hint`} className="text-xs text-slate-700">
                    {hint}
                  </p>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
