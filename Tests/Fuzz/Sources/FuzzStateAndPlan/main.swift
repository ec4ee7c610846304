import FuzzDriver
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

runFuzzer { fuzzStateAndPlan($0, $1) }
