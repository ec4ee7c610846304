import Foundation
import VPNCrypto
import VPNForm

extension ApplySession {
    /// The files of an apply and what they say: the saved plan, the desired state, the state, the plan.
    struct Inputs {
        /// Which files, and what needs no lock: the saved plan and the desired file.
        struct Source {
            var savedPlan: SavedPlan?
            var desiredPath: String
            var statePath: String
            var desired: DesiredState
            var desiredSHA256: String
            var warnings: [Diagnostic]

            init(_ request: ApplyRequest) throws(ApplyFailure) {
                switch request.source {
                case .desiredFile(let path):
                    desiredPath = path
                case .savedPlan(let path):
                    do { savedPlan = try SavedPlan.read(path) } catch { throw .planUnreadable(error) }
                    desiredPath = savedPlan!.desiredPath
                }
                // An emulator run never touches the real state: its default is a state of its own.
                let emulatorState = StateStore.emulatorPath(forDesired: desiredPath)
                statePath =
                    request.statePath ?? (request.emulator ? emulatorState : savedPlan?.statePath)
                    ?? StateStore.defaultPath(forDesired: desiredPath)
                if let savedPlan, savedPlan.statePath != statePath, request.emulator {
                    throw .planForOtherState(desired: desiredPath, planned: savedPlan.statePath, state: statePath)
                }
                let loaded: LoadedDesiredState
                do { loaded = try DesiredStateLoader(parallel: true).load(path: desiredPath) } catch {
                    throw .desiredUnreadable(error)
                }
                guard loaded.isValid, let desired = loaded.state else {
                    throw .invalidDesired(path: desiredPath, diagnostics: loaded.diagnostics)
                }
                self.desired = desired
                warnings = loaded.diagnostics
                guard let sha256 = loaded.sha256 else {
                    preconditionFailure("the desired file is loaded with its bytes")
                }
                desiredSHA256 = sha256
                if let savedPlan, savedPlan.desiredSHA256 != desiredSHA256 { throw .desiredChanged(path: desiredPath) }
            }
        }

        var savedPlan: SavedPlan?
        var desiredPath: String
        var statePath: String
        var desired: DesiredState
        var warnings: [Diagnostic]
        var state: StateFile
        var stateFileExists: Bool
        var plan: Plan
        var parallelism: Int
        /// The desired file's `moved:` entries this apply carries out: (old, new) addresses.
        var moves: [(from: PairAddress, to: PairAddress)]

        var work: [PlanEntry] { plan.entries.filter(\.needsKey) }

        /// Reads and checks every input; the caller holds the state lock.
        init(_ source: Source, request: ApplyRequest) throws(ApplyFailure) {
            savedPlan = source.savedPlan
            desiredPath = source.desiredPath
            statePath = source.statePath
            parallelism = request.parallelism
            desired = source.desired
            warnings = source.warnings
            let desiredSHA = source.desiredSHA256

            let store = StateStore(path: statePath)
            let onDisk: (state: StateFile, bytes: [UInt8]?)
            do {
                onDisk = try store.load()
                try store.checkWritable()
            } catch {
                throw .state(error)
            }
            state = onDisk.state
            stateFileExists = FileManager.default.fileExists(atPath: statePath)
            if let savedPlan {
                guard onDisk.bytes.map({ SHA256.hex($0) }) == savedPlan.stateSHA256 else {
                    throw .stateChanged(path: statePath)
                }
                if onDisk.bytes == nil { state.lineage = savedPlan.lineage }
                guard state.lineage == savedPlan.lineage else {
                    throw .lineageMismatch(path: statePath, planned: savedPlan.lineage, found: state.lineage)
                }
            }
            (state, moves) = state.applying(source.desired.moved)
            plan = Planner.plan(desired: source.desired, state: state)
            if let savedPlan {
                let recomputed = PlanDocument(
                    plan: plan, desiredPath: savedPlan.desiredPath, desiredSHA256: desiredSHA,
                    statePath: savedPlan.statePath, stateSHA256: savedPlan.stateSHA256,
                    lineage: state.lineage)
                guard savedPlan.matches(recomputed) else { throw .planEdited(path: desiredPath) }
            }
        }
    }
}
