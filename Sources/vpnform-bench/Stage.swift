import CYAML
import Foundation
import VPNCrypto
import VPNForm

/// One measured piece of work.
enum Stage: String, CaseIterable {
    /// A bare libyaml event scan of the file: the floor no YAML-reading tool can go below.
    case floor
    /// `vpnform validate`: parse, models, every rule.
    case validate
    /// `vpnform plan`: validate, state load, digests, diff and the text rendering.
    case plan
    /// The text rendering alone of a plan where every pair is a create (timed without the
    /// reading and planning that make the plan; not counted by callgrind).
    case render
    /// SHA-256 of every spec in the estate's state: the digest check `plan` makes on every pair
    /// it reads (the state read before the timing). With the floor, the least a plan against
    /// this state can cost.
    case digests

    struct Measurement {
        var seconds: Double
        var peakKB: Int
    }

    /// - Parameter sequential: Read the state on this thread, after the desired file, instead of on a
    ///   second thread meanwhile (the same instructions, all of them on the thread callgrind follows).
    func measure(file: String, sequential: Bool = false) throws -> Measurement {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let specs = self == .digests ? try Self.stateSpecs(of: file) : []
        let clock = ContinuousClock()
        var sink = 0
        let elapsed: Duration
        if self == .render {
            let loaded = DesiredStateLoader().load(bytes: bytes, file: file)
            guard loaded.isValid, let desired = loaded.state else { fail("\(file) is not valid") }
            let plan = Planner.plan(desired: desired, state: StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"))
            elapsed = clock.measure { sink = Self.render(plan) }
        } else {
            elapsed = try clock.measure { sink = try work(bytes, file: file, sequential: sequential, specs: specs) }
        }
        if sink < 0 { print(sink) }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let c = elapsed.components
        return Measurement(seconds: Double(c.seconds) + Double(c.attoseconds) / 1e18, peakKB: usage.ru_maxrss)
    }

    /// The measured work, alone in a function that callgrind's `--toggle-collect` can name
    /// (``BenchmarkRun/callgrindPattern``).
    @inline(never)
    func work(_ bytes: [UInt8], file: String, sequential: Bool, specs: [[UInt8]]) throws -> Int {
        switch self {
        case .floor:
            return Self.scan(bytes)
        case .validate:
            let loaded = DesiredStateLoader().load(bytes: bytes, file: file)
            guard loaded.isValid else { fail("\(file) is not valid") }
            return loaded.diagnostics.count
        case .plan:
            // As `vpnform plan` does: the state is read on a second thread meanwhile, and the
            // desired file in two parts at once (sequential: whole, as callgrind follows one thread).
            let store = StateStore(path: StateStore.defaultPath(forDesired: file))
            let loader = DesiredStateLoader(parallel: !sequential)
            let (loaded, stateRead) = sequential
                ? (loader.load(bytes: bytes, file: file), Self.readState(store))
                : concurrently({ loader.load(bytes: bytes, file: file) }, { Self.readState(store) })
            guard loaded.isValid, let desired = loaded.state else { fail("\(file) is not valid") }
            let state = try stateRead.get()
            let plan = Planner.plan(desired: desired, state: state)
            return Self.render(plan)
        case .render:
            fail("render is timed by measure(file:sequential:)")
        case .digests:
            return specs.reduce(0) { $0 &+ Int(SHA256.digest($1)[0]) }
        }
    }

    /// The canonical bytes of every spec in the state beside `file`.
    static func stateSpecs(of file: String) throws -> [[UInt8]] {
        let store = StateStore(path: StateStore.defaultPath(forDesired: file))
        return try store.load(keepingBytes: false).state.pairs.values.map(\.spec.canonical)
    }

    /// As `vpnform plan` renders, in chunks, without the write itself: the bytes written.
    static func render(_ plan: Plan) -> Int {
        var count = 0
        var text = OutputBuffer { count += $0.count }
        TextPlanRenderer(color: false).write(plan, to: &text)
        text.finish()
        return count
    }

    /// The state read of `plan`.
    static func readState(_ store: StateStore) -> Result<StateFile, StateError> {
        Result { () throws(StateError) in try store.load(keepingBytes: false).state }
    }

    /// Counts events; allocates nothing per event.
    static func scan(_ bytes: [UInt8]) -> Int {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { return -1 }
        defer { yaml_parser_delete(parser) }
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(parser, &event) == 1 {
                count += 1
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                if done { break }
            }
        }
        return count
    }
}
