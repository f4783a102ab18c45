/**
 * The runs this process is executing, one per plan and kind of job: a second start joins the
 * first instead of racing it, and shutdown or tests can wait for all of them.
 */
export class ActiveRuns {
  private readonly byPlan = new Map<string, { runId: string; done: Promise<void> }>();

  runIdFor(planId: string): string | undefined {
    return this.byPlan.get(planId)?.runId;
  }

  /** Keeps `work` until it settles; its failure is logged, never thrown at the caller. */
  track(planId: string, runId: string, label: string, work: Promise<void>, cleanup: () => void = () => undefined): void {
    const done = work
      .catch((error) => console.error(`${label} ${runId} failed unexpectedly:`, error))
      .finally(() => {
        cleanup();
        this.byPlan.delete(planId);
      });
    this.byPlan.set(planId, { runId, done });
  }

  async idle(): Promise<void> {
    await Promise.all([...this.byPlan.values()].map((a) => a.done));
  }
}
