import type { ComponentPropsWithRef } from "react";
import { FOCUS_RING } from "./styles";

const VARIANTS = {
  primary: "bg-blue-700 text-white hover:bg-blue-800 disabled:bg-slate-200 disabled:text-slate-600",
  secondary: "border border-slate-400 bg-white text-slate-800 hover:bg-slate-100 disabled:bg-slate-100 disabled:text-slate-600",
  danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
} as const;

export function Button({ variant = "secondary", className = "", ...props }: ComponentPropsWithRef<"button"> & { variant?: keyof typeof VARIANTS }) {
  return <button type="button" className={`shrink-0 whitespace-nowrap rounded px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed ${FOCUS_RING} ${VARIANTS[variant]} ${className}`} {...props} />;
}
