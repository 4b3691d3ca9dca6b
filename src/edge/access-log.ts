/**
 * One structured access-log record per viewer request of a distribution whose `Logging` is enabled (or of every
 * distribution, or none: ACCESS_LOG), written with console.log as a JSON object so Workers Logs and Logpush index
 * its fields. Field names follow CloudFront's standard log where one exists; a request served by staging also
 * names the primary distribution, as CloudFront's staging logs do, and is logged under staging's own `Logging`.
 */
import type { Arm } from "../model/edge-config.js";
import type { ResultType } from "./serve.js";

export interface AccessLogRecord {
  requestId: string;
  /** The distribution that served the request. */
  distributionId: string;
  distributionDnsName: string;
  arm: Arm;
  /** Set when staging served the request. */
  primaryDistributionId?: string;
  primaryDistributionDnsName?: string;
  policyId?: string;
  routeReason: string;
  method: string;
  host: string;
  path: string;
  status: number;
  edgeResultType: ResultType;
  /** Content-Length of the response when known, else null (streamed). */
  bytes: number | null;
  timeTakenMs: number;
  country: string | null;
  /** The viewer's Cookie header, when the distribution's Logging has IncludeCookies. */
  cookie?: string;
  /** The distribution's Logging Prefix, when it has one. */
  logPrefix?: string;
}

export function writeAccessLog(record: AccessLogRecord): void {
  console.log(JSON.stringify(record));
}
