"use client";

import { useState, type FormEvent } from "react";
import { ApiRequestError, api } from "@/lib/api/apiClient";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/accountRules";
import { useI18n } from "../i18n/I18nProvider";
import { Button } from "../ui/Button";
import { TextField } from "../ui/TextField";

/** Sign in; on first start, create the admin account with the setup token from the server console. */
export function SignInForm({ needsSetup, next }: { needsSetup: boolean; next: string }) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const [username, setUsername] = useState(needsSetup ? "admin" : "");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (needsSetup && password.length < MIN_PASSWORD_LENGTH) return setError(t("auth.passwordTooShort", { min: MIN_PASSWORD_LENGTH }));
    if (needsSetup && password !== repeat) return setError(t("auth.passwordMismatch"));
    setBusy(true);
    try {
      await (needsSetup ? api.setUp({ token, username, password }) : api.signIn({ username, password }));
      // A full load: every page and the socket start again with the new session.
      window.location.assign(next);
    } catch (failure) {
      setBusy(false);
      setPassword("");
      setRepeat("");
      if (failure instanceof ApiRequestError) setError(failure.issues[0]?.message ?? failure.message);
      else setError(String(failure));
    }
  };

  return (
    <form onSubmit={submit} className="mx-auto mt-8 max-w-md space-y-4 rounded border border-slate-200 bg-white p-6" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" className="text-xl font-semibold">
        {t(needsSetup ? "auth.setup.title" : "auth.signIn.title")}
      </h1>
      <p className="text-sm text-slate-700">{t(needsSetup ? "auth.setup.intro" : "auth.signIn.intro")}</p>
      {needsSetup && <TextField label={t("auth.field.token")} value={token} onChange={setToken} autoComplete="off" spellCheck={false} required />}
      <TextField label={t("auth.field.username")} value={username} onChange={setUsername} autoComplete="username" required />
      <TextField label={t("auth.field.password")} type="password" value={password} onChange={setPassword} autoComplete={needsSetup ? "new-password" : "current-password"} required />
      {needsSetup && <TextField label={t("auth.field.passwordRepeat")} type="password" value={repeat} onChange={setRepeat} autoComplete="new-password" required />}
      {error && (
        <p role="alert" data-testid="sign-in-error" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? t("auth.submitting") : t(needsSetup ? "auth.submit.setup" : "auth.submit.signIn")}
      </Button>
    </form>
  );
}
