// What vitest's globalSetup (Node) hands to tests (workerd): the ports of the loopback test origins
// (test/support/node/origin-servers.ts).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    origins: {
      /** Echo origin that says "primary". */
      primary: number;
      /** Echo origin that says "staging". */
      staging: number;
      /** Waits 3 s before answering: for read timeouts. */
      slow: number;
      /** A port nothing listens on: for unreachable origins. */
      down: number;
      /** Answers every request 503 (body names it): for origin-group failover on a status code. */
      unavailable: number;
      /**
       * For connection attempts: a request for `/<key>/<n>` has its connection dropped, unanswered, the first n
       * times that key is asked for; after that it is answered 200 with the number of attempts seen.
       */
      flaky: number;
      /**
       * An origin whose response body goes wrong as the query string asks: cut, reset or stalled after some bytes,
       * in either framing (Content-Length or chunked), or trickled in spaced pieces; see
       * test/support/node/faulty-origin.ts for the parameters.
       */
      faulty: number;
      /**
       * Echo origin that says "switchable" and fails on demand: `GET /__mode/<key>/fail` makes every request under
       * `/<key>/` answer 500 (`/drop`: drops its connection unanswered) until `GET /__mode/<key>/ok` (scope a test's
       * key with the OriginPath).
       */
      switchable: number;
    };
  }
}
