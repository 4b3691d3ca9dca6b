/**
 * Keeps KV in step with the committed state: serialised, coalesced publishes (a publish requested while one runs
 * makes one more run afterwards, which reads the newest state), each writing only what changed. When KV fails
 * the state stays committed, the attempted hosts stay marked unknown, and `onFailure` schedules a retry.
 */
import type { PublishState } from "../domain/distribution/status.js";
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
    // Every change committed by now is in the state read below (commits and this read do not interleave).
    const asOf = new Date().toISOString();
    const plan = planPublish(compileEdgeConfigs(this.store.load(), version, this.overlays()), this.store.published());
    if (plan.puts.length === 0 && plan.deletes.length === 0) {
      this.recordSuccess(asOf);
      return;
    }
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
      this.recordSuccess(asOf);
    } catch (e) {
      this.store.setMeta(FAILING, "1");
      await this.onFailure(e);
    }
  }

  /**
   * KV now holds every change committed up to `asOf` (src/domain/distribution/status.ts). After failed publishes,
   * the changes committed since the last good one reached KV only now.
   */
  private recordSuccess(asOf: string): void {
    if (this.store.getMeta(FAILING) === "1") {
      const recovered = { from: this.store.getMeta(AS_OF) ?? "", at: new Date().toISOString() };
      this.store.setMeta(RECOVERED, JSON.stringify(recovered));
      this.store.setMeta(FAILING, "0");
    }
    this.store.setMeta(AS_OF, asOf);
  }
}

const AS_OF = "kvAsOf";
const FAILING = "kvFailing";
const RECOVERED = "kvRecovered";

/** What the publisher has recorded about KV, for the distributions' Status. */
export function publishState(store: ControlStore): PublishState {
  const recovered = store.getMeta(RECOVERED);
  return {
    asOf: store.getMeta(AS_OF) ?? "",
    recovered: recovered === undefined ? null : (JSON.parse(recovered) as PublishState["recovered"]),
  };
}
