import type { BackgroundTasks } from "../env.js";

/** The edge: viewer requests. Placeholder until the edge issue lands. */
export async function handleViewerRequest(_request: Request, _env: Env, _ctx: BackgroundTasks): Promise<Response> {
  return new Response("edge not built yet", { status: 501 });
}
