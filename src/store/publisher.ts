/**
 * Keeps KV in step with the committed state: serialised, coalesced publishes (a publish requested while one runs
 * makes one more run afterwards, which reads the newest state), each writing only what changed. When KV fails
 * the state stays committed, the attempted hosts stay marked unknown, and `onFailure` schedules a retry.
 */
import { compileEdgeConfigs, type EdgeOverlays, NO_OVERLAYS } from "./compile.js";
import { applyPublish, planPublish } from "./publish.js";
import type { ControlStore } from "./sql.js";

export type KvWriter = Pick<KVNamespace, "put" | "delete">;

export class Publisher {
  private running: Promise<void> | null = null;
  private dirty = false;

  constructor(
    private readonly store: ControlStore,
    private readonly kv: KvWriter,
    private readonly onFailure: (error: unknown) => Promise<void>,
    /** What the extensions add to the records (rollout weights, preview links), read at each publish. */
    private readonly overlays: () => EdgeOverlays = () => NO_OVERLAYS,
  ) {}

  /** Resolves once a publish that started after this call has finished (successfully or not). */
  publish(): Promise<void> {
    this.dirty = true;
    if (this.running === null) {
      this.running = this.drain().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      await this.publishOnce();
    }
  }

  private async publishOnce(): Promise<void> {
    const version = Number(this.store.getMeta("publishVersion") ?? "0") + 1;
    this.store.setMeta("publishVersion", String(version));
    const plan = planPublish(compileEdgeConfigs(this.store.load(), version, this.overlays()), this.store.published());
    if (plan.puts.length === 0 && plan.deletes.length === 0) return;
    // Until KV confirms, what it holds for these hosts is unknown: a retry must rewrite them.
    this.store.setPublished(
      plan.puts.map(([host]) => [host, ""]),
      [],
    );
    try {
      await applyPublish(this.kv, plan);
      this.store.setPublished(
        plan.puts.map(([host, , fp]) => [host, fp]),
        plan.deletes,
      );
    } catch (e) {
      await this.onFailure(e);
    }
  }
}
