/** ControlPlane Durable Object: single writer of control-plane state. Placeholder until the control-plane issue lands. */
import { DurableObject } from "cloudflare:workers";

export class ControlPlane extends DurableObject<Env> {}
