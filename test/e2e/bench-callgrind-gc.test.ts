/**
 * bench/callgrind.ts's reading of a callgrind dump: the self cost of the functions a pattern names (a call's
 * inclusive cost is not the caller's own), with callgrind's compressed names, and which functions count as a major
 * collection (bench:instructions leaves windows holding one out of a request's figure).
 */
import { describe, expect, it } from "vitest";
import { MAJOR_GC, selfCostOf } from "../../bench/callgrind.js";

// The shape callgrind writes: "(id) name" the first time, "(id)" after; a cost line after `calls=` is inclusive.
const DUMP = `# callgrind format
version: 1
events: Ir
summary: 1000

ob=(1) /bin/workerd
fl=(1) ???
fn=(1) cppgc::internal::Sweeper::SweeperImpl::SweepInForegroundTaskImpl(v8::base::TimeDelta)
0 300
cfn=(2) tcmalloc::FreeSmallSlow(void*)
calls=10 0
0 50

fn=(2)
0 50

fn=(3) v8::internal::ScavengerCollector::CollectGarbage()
0 200
cfn=(1)
calls=1 0
0 70

fn=(1)
0 70
fn=(4) v8::internal::MarkCompactCollector::CollectGarbage()
0 40
+2 5
totals: 1000
`;

describe("bench/callgrind.ts reads a dump", () => {
  it("sums the self cost of the named functions, not the inclusive cost of their calls", () => {
    expect(selfCostOf(DUMP, /Sweeper/)).toBe(370);
    expect(selfCostOf(DUMP, /Scavenger/)).toBe(200);
    expect(selfCostOf(DUMP, /tcmalloc/)).toBe(50);
    expect(selfCostOf(DUMP, MAJOR_GC)).toBe(415);
  });

  it("counts V8's and cppgc's major collections as major, and a scavenge not", () => {
    for (const name of [
      "v8::internal::MarkCompactCollector::CollectGarbage()",
      "v8::internal::IncrementalMarking::Step(v8::base::TimeDelta)",
      "v8::internal::ConcurrentMarking::RunMajor(v8::JobDelegate*)",
      "cppgc::internal::Sweeper::SweeperImpl::IncrementalSweepTask::Run()",
      "cppgc::internal::MarkerBase::AdvanceMarkingWithLimits(v8::base::TimeDelta, unsigned long)",
    ]) {
      expect(MAJOR_GC.test(name), name).toBe(true);
    }
    for (const name of [
      "v8::internal::ScavengerCollector::CollectGarbage()",
      "v8::internal::Heap::CallGCEpilogueCallbacks(v8::GCType, v8::GCCallbackFlags)",
      "workerd::api::Headers::getPtr(workerd::jsg::Lock&, kj::StringPtr)",
    ]) {
      expect(MAJOR_GC.test(name), name).toBe(false);
    }
  });
});
