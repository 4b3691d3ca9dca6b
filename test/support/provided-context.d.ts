// What vitest's globalSetup (Node) hands to tests (workerd): the ports of the loopback test origins.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    origins: {
      primary: number;
      staging: number;
      slow: number;
      down: number;
      unavailable: number;
      flaky: number;
    };
  }
}
