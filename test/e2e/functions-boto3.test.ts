/**
 * The Functions API with boto3 (python3): the calls Python users make, create → test → publish → describe LIVE →
 * get → list → delete, with TestFunction's result read as boto3 parses it.
 */
import { expect, it } from "vitest";
import { pythonWithBoto3, run, toolEnv } from "./helpers/python.js";
import { useWorker } from "./helpers/worker.js";

const t = useWorker();

const SCRIPT = `
import json, sys, boto3
endpoint, name = sys.argv[1], sys.argv[2]
cf = boto3.client("cloudfront", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id="test", aws_secret_access_key="test")
code = b"""function handler(event) {
  var request = event.request;
  console.log('before ' + request.uri);
  if (request.uri.endsWith('/')) request.uri += 'index.html';
  return request;
}"""
created = cf.create_function(Name=name, FunctionConfig={"Comment": "boto3", "Runtime": "cloudfront-js-1.0"}, FunctionCode=code)
event = {"version": "1.0", "context": {"eventType": "viewer-request"}, "viewer": {"ip": "198.51.100.11"},
         "request": {"method": "GET", "uri": "/docs/", "querystring": {}, "headers": {"host": {"value": "example.com"}}, "cookies": {}}}
tested = cf.test_function(Name=name, IfMatch=created["ETag"], Stage="DEVELOPMENT", EventObject=json.dumps(event).encode())
published = cf.publish_function(Name=name, IfMatch=created["ETag"])
live = cf.describe_function(Name=name, Stage="LIVE")
got = cf.get_function(Name=name, Stage="LIVE")
listed = cf.list_functions(Stage="LIVE")
cf.delete_function(Name=name, IfMatch=created["ETag"])
try:
    cf.describe_function(Name=name)
    gone = "still there"
except cf.exceptions.NoSuchFunctionExists:
    gone = "NoSuchFunctionExists"
print(json.dumps({
  "createdStatus": created["ResponseMetadata"]["HTTPStatusCode"],
  "createdStage": created["FunctionSummary"]["FunctionMetadata"]["Stage"],
  "test": {k: tested["TestResult"].get(k) for k in ["ComputeUtilization", "FunctionExecutionLogs", "FunctionErrorMessage", "FunctionOutput"]},
  "publishedStatus": published["FunctionSummary"]["Status"],
  "liveEtag": live["ETag"],
  "createdEtag": created["ETag"],
  "code": got["FunctionCode"].read().decode() if hasattr(got["FunctionCode"], "read") else got["FunctionCode"].decode(),
  "contentType": got["ContentType"],
  "listed": [f["Name"] for f in listed["FunctionList"].get("Items", [])],
  "gone": gone,
}))
`;

it("boto3: create, test, publish, describe, get, list and delete a function", async () => {
  const name = `boto3-fn-${process.pid}`;
  const { stdout } = await run(await pythonWithBoto3(), ["-c", SCRIPT, t.worker.endpoint, name], { env: toolEnv() });
  const out = JSON.parse(stdout);
  expect(out.createdStatus).toBe(201);
  expect(out.createdStage).toBe("DEVELOPMENT");
  expect(out.test.FunctionErrorMessage ?? "").toBe("");
  expect(out.test.FunctionExecutionLogs).toEqual(["before /docs/"]);
  expect(JSON.parse(out.test.FunctionOutput).request.uri).toBe("/docs/index.html");
  expect(Number(out.test.ComputeUtilization)).toBeGreaterThanOrEqual(0);
  expect(out.publishedStatus).toBe("UNASSOCIATED");
  expect(out.liveEtag).toBe(out.createdEtag);
  expect(out.code).toContain("index.html");
  expect(out.contentType).toBe("application/octet-stream");
  expect(out.listed).toContain(name);
  expect(out.gone).toBe("NoSuchFunctionExists");
});
