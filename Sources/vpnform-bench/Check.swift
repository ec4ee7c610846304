import Foundation
import VPNCrypto
import VPNForm

/// `vpnform-bench check`: proves that the optimised reading, validation and planning give the same
/// diagnostics and plans as the implementation they replaced, on generated files.
///
/// For each size it derives two inputs from the generated estate — a desired file with mistakes
/// sprinkled through it, and a state file in which pairs are missing, changed, pending and orphaned —
/// and hashes every rendering of the results. The expected hashes were recorded with vpnform 0.5
/// (commit 8e43f37, before the performance work); a difference fails the run.
struct Check {
    /// SHA-256 of the outputs per size, recorded before the optimisation.
    static let recorded: [Int: String] = [
        100: "61fb4f67f8c7e82b3ce6c31558a2335ba51d09529d14b08f153d8baa964ee7a8",
        1000: "e183812ae3199bdf56a3e56ac1d5ebb81f08c8f6d19e0ce6509cb38e930bd1c3",
        10000: "5dadfb37a257687314607ac9fa309dc297a8633cc1832738ecdb921bc550de09",
    ]

    var dir: URL

    func run(sizes: [Int]) throws {
        var failed = false
        for n in sizes {
            let (yaml, _) = try Estates.generate(pairs: n, in: dir, withState: true)
            let (digest, summary) = try outputs(yaml: yaml)
            let verdict = Self.recorded[n].map { $0 == digest ? "same as before" : "DIFFERENT (recorded \($0))" } ?? "no recording"
            if let r = Self.recorded[n], r != digest { failed = true }
            print("check \(n) pairs (\(summary)): \(digest) — \(verdict)")
        }
        if failed { fail("outputs differ from the recorded ones") }
    }

    /// The hash of everything vpnform prints for the derived inputs, and a summary of them.
    func outputs(yaml: String) throws -> (String, String) {
        var text = ""
        // Diagnostics of a desired file with mistakes.
        let original = try String(contentsOfFile: yaml, encoding: .utf8)
        let noisyPath = yaml.replacingOccurrences(of: ".yaml", with: ".noisy.yaml")
        try Self.sprinkleMistakes(original).write(toFile: noisyPath, atomically: true, encoding: .utf8)
        let noisy = try DesiredStateLoader().load(path: noisyPath)
        text += noisy.diagnostics.map(\.description).joined(separator: "\n")
        text += "\n\(noisy.diagnostics.count) diagnostics\n"

        // The plan of the valid file against a state that differs from it.
        let loaded = try DesiredStateLoader().load(path: yaml)
        guard loaded.isValid, let desired = loaded.state else { fail("\(yaml) is not valid") }
        text += loaded.diagnostics.map(\.description).joined(separator: "\n")
        let state = Self.perturbed(try StateStore(path: StateStore.defaultPath(forDesired: yaml)).load().state)
        let reread = try StateFile.parse(state.serialized(), path: "perturbed.state.json")
        guard reread == state else { fail("the perturbed state does not survive a write and a read") }
        let plan = Planner.plan(desired: desired, state: reread)
        text += TextPlanRenderer(color: false).render(plan)
        text += MarkdownPlanRenderer().render(plan)
        text += PlanDocument(plan: plan, desiredPath: "estate.yaml", desiredSHA256: loaded.sha256, statePath: "estate.state.json",
                             stateSHA256: nil, lineage: reread.lineage).rendered()
        let summary = "\(noisy.diagnostics.count) diagnostics; \(plan.summaryLine)"
        return (SHA256.hex(Array(text.utf8)), summary)
    }

    /// The generated YAML with a mistake every few connections: short pre-shared keys, tag values
    /// with forbidden characters, subnets that are not network addresses, tunnel addresses that are
    /// network addresses, and weak algorithms (warnings).
    static func sprinkleMistakes(_ yaml: String) -> String {
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices {
            let line = lines[i]
            if i % 41 == 0, line.contains("psk: ${") {
                lines[i] = line.replacingOccurrences(of: "${", with: "short").replacingOccurrences(of: "}", with: "")
            } else if i % 37 == 0, line.contains("tags: {") {
                lines[i] = line.replacingOccurrences(of: "tier: ", with: "tier: \"#")
                    .replacingOccurrences(of: "}", with: "\"}")
            } else if i % 43 == 0, line.contains("peer_subnets: [10.") {
                lines[i] = line.replacingOccurrences(of: ".0/24,", with: ".1/24,")
            } else if i % 31 == 0, line.contains("tunnel_local_address: 169.254.") {
                lines[i] = line.replacingOccurrences(of: "tunnel_local_address: 169.254.0.", with: "tunnel_local_address: 169.254.1.")
            } else if i % 47 == 0, line.contains("style: ") {
                lines[i] = line + "\n        ikepolicy: {dh_group: group2, authentication_algorithm: md5}"
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `state` with every 7th pair missing (create), every 11th changed, every 13th pending
    /// (recover) and a few orphans.
    static func perturbed(_ state: StateFile) -> StateFile {
        var out = state
        let addresses = state.pairs.keys.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }
        for (i, address) in addresses.enumerated() {
            guard var pair = state.pairs[address] else { continue }
            if i % 7 == 0 {
                out.pairs[address] = nil
                continue
            }
            if i % 11 == 0 {
                var attributes = pair.spec.attributes
                attributes["ipsecpolicy.pfs"] = .string("group14")
                attributes["tags"] = nil
                attributes["enable_nqa"] = .bool(true)
                pair.spec = PairSpec(attributes: attributes)
                pair.specDigest = pair.spec.digest
            }
            if i % 13 == 0 { pair.status = .pending }
            if i % 97 == 0 { out.pairs[PairAddress(rawValue: "zz-orphans/o\(i)")] = pair }
            out.pairs[address] = pair
        }
        return out
    }
}
