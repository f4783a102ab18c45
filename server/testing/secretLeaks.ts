import { escapeHtml } from "@/lib/report/renderHtml";
import { escapeMarkdown } from "@/lib/report/renderMarkdown";

/** Every form a secret can take in text StackPilot sends or keeps: as is, HTML-, JSON-, Markdown- and URL-escaped. */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, escapeHtml(secret), JSON.stringify(secret).slice(1, -1), escapeMarkdown(secret), encodeURIComponent(secret)])];
}

/** A text with what is inside its base64 data: URIs (a downloadable SVG, say) added to it. */
function withDataUris(text: string): string[] {
  return [text, ...[...text.matchAll(/data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], "base64").toString("utf8"))];
}

export function leaks(text: string, secret: string): boolean {
  const forms = secretForms(secret);
  return withDataUris(text).some((part) => forms.some((form) => part.includes(form)));
}

/** Where each secret turns up among named texts: "<secret name> in <where>", or nothing. */
export function findLeaks(secrets: Record<string, string>, sources: Iterable<{ where: string; text: string }>): string[] {
  const found: string[] = [];
  for (const source of sources) {
    for (const [name, secret] of Object.entries(secrets)) if (leaks(source.text, secret)) found.push(`${name} in ${source.where}`);
  }
  return found;
}
