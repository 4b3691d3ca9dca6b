/** The whole control-plane state as the API lists it: equal snapshots mean no state change. */
import { call } from "./client.js";

export async function stateSnapshot(): Promise<string> {
  const d = await call("GET", "/distribution?MaxItems=1000");
  const p = await call("GET", "/continuous-deployment-policy?MaxItems=1000");
  return `${await d.text()}\n${await p.text()}`;
}
