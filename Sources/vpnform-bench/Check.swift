import Foundation
import VPNCrypto
import VPNForm

/// `vpnform-bench check`: proves that the optimised reading, validation and planning give the same
/// diagnostics and plans as the implementation they replaced, on generated files.
///
/// For each size it derives two inputs from the generated estate — a desired file with mistakes
/// sprinkled through it, and a state file in which pairs are missing, changed, pending and orphaned —
/// and hashes every rendering of the results. The expected hashes of the diagnostics, the text plan
/// and the JSON plan were recorded with vpnform 0.5 (commit 8e43f37, before the performance work).
/// The Markdown plan, which issue #14 changed on purpose (natural order, `-`/`+` lines for changed
/// attributes, a marker), has hashes of its own, recorded after that change; until then it was
/// part of the first hash, which the code just before the change still matched. A difference in
/// either fails the run.
struct Check {
    /// SHA-256 of the diagnostics, text plan and JSON plan per size, recorded before the optimisation.
    static let recorded: [Int: String] = [
        100: "6f3d11311c7df230c269254a9e15533914b578751e36dbd863d48c48929de4a4",
        1000: "4bfebeb63a43a1be4081996fe0509919f654b1157627e349da482848de08af78",
        10000: "0caec07958c99db691969683c17be96fa40738d454b95b5ad634c1c8de2b87cf",
    ]
    /// SHA-256 of the Markdown plan per size, recorded with issue #14's Markdown.
    static let recordedMarkdown: [Int: String] = [
        100: "a03357891848110739e5a038476b6733142a093814e1752071d0b25fab71cdf3",
        1000: "6518cbf8b349c3cca5c78284d3ae779d4ea2abb1f178bf3b4a0110e61b35ea95",
        10000: "046fa3a62038eea192335b58ee07be0280c63239a9e3b3f6a5cd039645b6e68a",
    ]

    var dir: URL

    func run(sizes: [Int]) throws {
        var failed = false
        for n in sizes {
            let (yaml, _) = try Estates.generate(pairs: n, in: dir, withState: true)
            let (digest, markdown, summary) = try outputs(yaml: yaml)
            var verdict = Self.recorded[n].map { $0 == digest ? "same as before" : "DIFFERENT (recorded \($0))" }
                ?? "no recording"
            if let r = Self.recorded[n], r != digest { failed = true }
            if let r = Self.recordedMarkdown[n], r != markdown {
                failed = true
                verdict += "; Markdown \(markdown) DIFFERENT (recorded \(r))"
            }
            print("check \(n) pairs (\(summary)): \(digest) — \(verdict)")
        }
        if failed { fail("outputs differ from the recorded ones") }
    }

    /// The hash of everything vpnform prints for the derived inputs but the Markdown plan, the
    /// hash of the Markdown plan, and a summary of them.
    func outputs(yaml: String) throws -> (String, String, String) {
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
        let markdown = MarkdownPlanRenderer().render(plan)
        let json = PlanDocument(plan: plan, desiredPath: "estate.yaml", desiredSHA256: loaded.sha256, statePath: "estate.state.json",
                                stateSHA256: nil, lineage: reread.lineage).rendered()
        text += json
        let summary = "\(noisy.diagnostics.count) diagnostics; \(plan.summaryLine)"
        return (SHA256.hex(Array(text.utf8)), SHA256.hex(Array(markdown.utf8)), summary)
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
