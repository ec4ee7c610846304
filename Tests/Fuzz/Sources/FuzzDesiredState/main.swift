import FuzzDriver
import VPNForm

/// libFuzzer entry: YAML reader, model building and every validation rule, on any bytes.
/// Whatever the input, loading must end with a model or located diagnostics: no crash, no hang,
/// and no diagnostic without a position. Read in two parts on two threads (however small the
/// input), it must give the same model and diagnostics as read whole.
func fuzzDesiredState(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let loaded = DesiredStateLoader().load(bytes: bytes, file: "fuzz.yaml")
    var inTwo = DesiredStateLoader(parallel: true)
    inTwo.parallelMinimumBytes = 0
    let cut = inTwo.load(bytes: bytes, file: "fuzz.yaml")
    if cut.state != loaded.state || cut.diagnostics != loaded.diagnostics { fatalError("read in two parts, read otherwise") }
    if !loaded.isValid && !loaded.diagnostics.hasErrors { fatalError("invalid without an error") }
    for d in loaded.diagnostics where d.mark.line < 1 || d.mark.column < 1 { fatalError("diagnostic without a position: \(d)") }
    if let state = loaded.state, loaded.isValid {
        // A valid file must plan, and its plan must render.
        let plan = Planner.plan(desired: state, state: StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"))
        _ = TextPlanRenderer(color: false).render(plan)
    }
    return 0
}

runFuzzer { fuzzDesiredState($0, $1) }
