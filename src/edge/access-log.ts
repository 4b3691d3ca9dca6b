/**
 * One structured access-log record per viewer request, written with console.log as a JSON object so Workers
 * Logs and Logpush index its fields. Field names follow CloudFront's standard log where one exists; a request
 * served by staging also names the primary distribution, as CloudFront's staging logs do.
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
}

export function writeAccessLog(record: AccessLogRecord): void {
  console.log(JSON.stringify(record));
}
