type Entry = { runId: Promise<string | null>; done: Promise<void> };

/** A plan's slot, held from the moment a job starts setting up its run until the run is over. */
export type Reservation = {
  /** The run is set up: keep the slot until `work` settles, then run `cleanup`. */
  track(runId: string, work: Promise<void>, cleanup?: () => void): void;
  /** Setting up failed: free the slot. */
  release(): void;
};

/**
 * The runs this process is executing, one per plan and kind of job. The slot is taken
 * synchronously, before anything is awaited, so two requests at the same moment can never both
 * start a run; the second learns the first one's run id and joins it. The database backs this up
 * with a unique index (RunStore.create), which holds whichever process asks.
 */
export class ActiveRuns {
  private readonly byPlan = new Map<string, Entry>();

  constructor(private readonly label: string) {}

  /** The run under way for a plan (or being set up), if any. */
  async runIdFor(planId: string): Promise<string | null> {
    return (await this.byPlan.get(planId)?.runId) ?? null;
  }

  isBusy(planId: string): boolean {
    return this.byPlan.has(planId);
  }

  /** Takes the plan's slot, or null when a run of it is active already. */
  reserve(planId: string): Reservation | null {
    if (this.byPlan.has(planId)) return null;
    let setRunId!: (id: string | null) => void;
    let setDone!: () => void;
    const entry: Entry = { runId: new Promise((r) => (setRunId = r)), done: new Promise((r) => (setDone = r)) };
    this.byPlan.set(planId, entry);
    const free = () => {
      if (this.byPlan.get(planId) === entry) this.byPlan.delete(planId);
      setDone();
    };
    return {
      track: (runId, work, cleanup = () => undefined) => {
        setRunId(runId);
        work
          .catch((error) => console.error(`${this.label} ${runId} failed unexpectedly:`, error))
          .finally(() => {
            cleanup();
            free();
          });
      },
      release: () => {
        setRunId(null);
        free();
      },
    };
  }

  async idle(): Promise<void> {
    await Promise.all([...this.byPlan.values()].map((a) => a.done));
  }
}
