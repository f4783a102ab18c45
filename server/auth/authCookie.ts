import { ABSOLUTE_TIMEOUT_MS } from "../store/sessionStore";

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Secure behind HTTPS. Its name carries the port, as Jupyter's does, because browsers share
 * cookies between ports of one host: two wizards on one machine must not sign each other out.
 */
export const sessionCookieName = (port: number) => `stackpilot_session_${port}`;

export function readCookie(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(port: number, token: string, secure: boolean): string {
  const attributes = ["Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${ABSOLUTE_TIMEOUT_MS / 1000}`, ...(secure ? ["Secure"] : [])];
  return [`${sessionCookieName(port)}=${token}`, ...attributes].join("; ");
}

export function clearedSessionCookie(port: number): string {
  return `${sessionCookieName(port)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
