/**
 * The ControlPlane's one Durable Object alarm, shared: each pending job (a publish retry, each rollout's next
 * step or analysis) is a named time in SQLite (`alarm_schedule`), and the alarm is always set to the earliest of
 * them, so no job's time is lost when another sets the alarm. The alarm handler takes the due jobs, runs them and
 * arms the alarm again.
 */
type Row = Record<string, SqlStorageValue>;

export const PUBLISH_RETRY = "publish-retry";
export const rolloutJob = (primaryId: string): string => `rollout:${primaryId}`;
export const rolloutOfJob = (name: string): string | null =>
  name.startsWith("rollout:") ? name.slice("rollout:".length) : null;

export class AlarmSchedule {
  constructor(private readonly storage: DurableObjectStorage) {
    storage.sql.exec("CREATE TABLE IF NOT EXISTS alarm_schedule (name TEXT PRIMARY KEY, at INTEGER NOT NULL)");
  }

  /** Schedules (or with null, cancels) job `name`. Call arm() afterwards. */
  set(name: string, at: number | null): void {
    if (at === null) {
      this.storage.sql.exec("DELETE FROM alarm_schedule WHERE name = ?", name);
      return;
    }
    this.storage.sql.exec(
      "INSERT INTO alarm_schedule (name, at) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET at = excluded.at",
      name,
      Math.floor(at),
    );
  }

  /** Removes and returns the jobs due at `now`. */
  takeDue(now: number): string[] {
    const rows = this.storage.sql.exec<Row>("SELECT name FROM alarm_schedule WHERE at <= ?", now).toArray();
    const names = rows.map((r) => String(r.name ?? ""));
    for (const n of names) this.storage.sql.exec("DELETE FROM alarm_schedule WHERE name = ?", n);
    return names;
  }

  /** Sets the alarm to the earliest pending job, or deletes it when none is pending. */
  async arm(): Promise<void> {
    const rows = this.storage.sql.exec<Row>("SELECT MIN(at) AS at FROM alarm_schedule").toArray();
    const at = rows[0]?.at;
    if (at === null || at === undefined) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(Number(at));
  }
}
