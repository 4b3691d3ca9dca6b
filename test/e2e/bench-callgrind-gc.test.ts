/**
 * bench/callgrind.ts's reading of a callgrind dump: the inclusive cost of the functions a pattern names (each call
 * into one from a function that does not match, with its callees, so nothing counts twice), with callgrind's
 * compressed names and relative positions, and which functions run off a request's path (bench:instructions leaves
 * windows holding them out of a request's figure).
 */
import { describe, expect, it } from "vitest";
import { GC, inclusiveCostOf, OFF_PATH } from "../../bench/callgrind.js";

// The shape callgrind writes: "(id) name" the first time, "(id)" after; the cost line after `calls=` is the call's
// inclusive cost; positions may be relative ("+2").
const DUMP = `# callgrind format
version: 1
events: Ir
summary: 1000

ob=(1) /bin/workerd
fl=(1) ???
fn=(1) v8::platform::DefaultForegroundTaskRunner::RunTask()
0 30
cfn=(2) cppgc::internal::Sweeper::SweeperImpl::IncrementalSweepTask::Run()
calls=1 0
0 420
cfn=(3) v8::internal::ScavengerCollector::CollectGarbage()
calls=2 0
+2 200

fn=(2)
0 300
cfn=(4) workerd::api::Headers::~Headers()
calls=10 0
0 120

fn=(4)
0 120

fn=(3)
0 200
fn=(5) v8::internal::Compiler::CompileOptimized(v8::internal::Isolate*)
0 40
cfn=(2)
calls=1 0
+1 7
totals: 1000
`;

describe("bench/callgrind.ts reads a dump", () => {
  it("sums the inclusive cost of calls into the named functions from the others, each once", () => {
    // The sweep task as called from the task runner, finalizers included; not again from the compile (a match).
    expect(inclusiveCostOf(DUMP, /Sweeper/)).toBe(427);
    expect(inclusiveCostOf(DUMP, /Scavenger/)).toBe(200);
    expect(inclusiveCostOf(DUMP, /Headers/)).toBe(120);
    // The compile is never called here (a root): only calls into a matching function count.
    expect(inclusiveCostOf(DUMP, OFF_PATH)).toBe(420);
  });

  it("counts major collections and optimising compiles as off the path, a scavenge not", () => {
    for (const name of [
      "v8::internal::MarkCompactCollector::CollectGarbage()",
      "v8::internal::IncrementalMarking::Step(v8::base::TimeDelta)",
      "v8::internal::ConcurrentMarking::RunMajor(v8::JobDelegate*)",
      "cppgc::internal::Sweeper::SweeperImpl::IncrementalSweepTask::Run()",
      "cppgc::internal::MarkerBase::AdvanceMarkingWithLimits(v8::base::TimeDelta, unsigned long)",
      "v8::internal::Compiler::CompileOptimized(v8::internal::Isolate*, v8::internal::DirectHandle<v8::internal::JSFunction>)",
      "v8::internal::maglev::MaglevCompiler::Compile(v8::internal::LocalIsolate*, v8::internal::maglev::MaglevCompilationInfo*)",
    ]) {
      expect(OFF_PATH.test(name), name).toBe(true);
    }
    for (const name of [
      "v8::internal::ScavengerCollector::CollectGarbage()",
      "v8::internal::Heap::CallGCEpilogueCallbacks(v8::GCType, v8::GCCallbackFlags)",
      "workerd::api::Headers::getPtr(workerd::jsg::Lock&, kj::StringPtr)",
    ]) {
      expect(OFF_PATH.test(name), name).toBe(false);
    }
  });

  it("counts a collection once, though V8 calls a lambda of CollectGarbage through a helper that does not match", () => {
    // As V8 runs it: CollectGarbage -> a stack-marker helper -> CollectGarbage's lambda -> the scavenge; the
    // epilogue frees the runtime's C++ objects; a parallel scavenge's job runs on a worker thread.
    const collect =
      "v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags)";
    const dump = `events: Ir
fn=(1) v8::internal::HeapAllocator::CollectGarbage(v8::internal::AllocationType)
0 5
cfn=(2) ${collect}
calls=1 0
0 1000
fn=(2)
0 10
cfn=(3) heap::base::Stack::TrampolineCallbackHelper(void*)
calls=1 0
0 600
cfn=(5) v8::internal::Heap::CallGCEpilogueCallbacks(v8::GCType, v8::GCCallbackFlags)
calls=1 0
0 390
fn=(3)
0 2
cfn=(4) ${collect}::$_1::operator()() const
calls=1 0
0 598
fn=(4)
0 598
fn=(5)
0 390
fn=(6) v8::platform::DefaultJobWorker::Run()
0 1
cfn=(7) v8::internal::ScavengerJobTask::Run(v8::JobDelegate*)
calls=1 0
0 70
fn=(7)
0 70
totals: 1076
`;
    expect(inclusiveCostOf(dump, GC)).toBe(1070);
    expect(GC.test("v8::internal::ScavengerCollector::CollectGarbage()")).toBe(false);
  });
});
