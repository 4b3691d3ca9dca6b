/** The CloudFront REST-XML control API (2020-05-31). Placeholder until the control-plane issue lands. */
import { Hono } from "hono";

export const controlApp = new Hono<{ Bindings: Env }>();
controlApp.all("*", (c) => c.text("control plane not built yet", 501));
