import Foundation
import VPNForm

/// libFuzzer entry: the state-file reader, the journal replay and the saved-plan reader, on any
/// bytes. A state that parses must serialise and parse back to itself.
func fuzzStateAndPlan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let state = try? StateFile.parse(bytes, path: "fuzz.state.json") {
        let again = try? StateFile.parse(state.serialized(), path: "again")
        if again != state { fatalError("a parsed state does not round-trip") }
    }
    _ = try? SavedPlan.parse(bytes, path: "fuzz.plan.json")
    _ = try? StateJournal.replay(bytes, onto: StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"), path: "fuzz.journal")
    return 0
}

// SwiftPM links an executable's entry point as `main`, so libFuzzer's own main is not used:
// this one hands libFuzzer the callback through its documented driver entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, { fuzzStateAndPlan($0, $1) }))
