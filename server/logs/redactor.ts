export const MASK = "••••••";

/**
 * Masks every secret value of a plan in a text. Longest first, so a secret that contains another
 * is masked whole. Values too short to be told apart from ordinary text are left alone; the
 * wizard refuses such passwords.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secretValues: Iterable<string>) {
    const unique = new Set<string>();
    for (const value of secretValues) if (value.length >= MIN_SECRET_LENGTH) unique.add(value);
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }
}

export const MIN_SECRET_LENGTH = 4;
