/** An error meant for the person running the lab: a clear message plus, where useful, what to do. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "LabError";
  }
}
