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
/// part of the first hash, which the code just before the change still matched. Issue #13 changed
/// the plan's actions on purpose (`~ change` became `~ update in place` or `-/+ replace`, `- orphan`
/// became `- delete`, and a pending pair no longer desired is deleted instead of recovered), so both
/// hashes were recorded again after it: the counts show the same pairs, only classified anew
/// (at 10,000 pairs 720 changes = 126 updates + 594 replaces; 83 orphans + 6 pending ones no longer
/// desired = 89 deletes). A difference in either fails the run.
struct Check {
    /// SHA-256 of the diagnostics, text plan and JSON plan per size, recorded with issue #13's actions.
    static let recorded: [Int: String] = [
        100: "a685fb921d24a475f3a5191ae3fa8aac6b794e9fd997a9fa21cc3f57904d755c",
        1000: "dea602bc063d7b6a84a994f3ef54b26c42830abcc346a44967bd6df6536bf584",
        10000: "3e657494e85a93cee68c7378f901cf93660776c47ef27af510a98b8ea581317f",
    ]
    /// SHA-256 of the Markdown plan per size, recorded with issue #13's actions.
    static let recordedMarkdown: [Int: String] = [
        100: "57692500de4e176297d30dea43c26f6ec3191bb2e4553ff1a514a7ca53a74bf4",
        1000: "494034997b8b5650b9d7e2dc2199dde53e11a45a1ef109251eb37624ac0d120e",
        10000: "1f6f96d86eef2a95e27741f76ab04960b23dba9057f6777f26242a7825d1208d",
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
        let noisy = try DesiredStateLoader(parallel: true).load(path: noisyPath)
        text += noisy.diagnostics.map(\.description).joined(separator: "\n")
        text += "\n\(noisy.diagnostics.count) diagnostics\n"

        // The plan of the valid file against a state that differs from it.
        let loaded = try DesiredStateLoader(parallel: true).load(path: yaml)
        guard loaded.isValid, let desired = loaded.state else { fail("\(yaml) is not valid") }
        text += loaded.diagnostics.map(\.description).joined(separator: "\n")
        let state = Self.perturbed(try StateStore(path: StateStore.defaultPath(forDesired: yaml)).load().state)
        let reread = try StateFile.parse(state.serialized(), path: "perturbed.state.json")
        guard reread == state else { fail("the perturbed state does not survive a write and a read") }
        let plan = Planner.plan(desired: desired, state: reread)
        text += TextPlanRenderer(color: false).render(plan)
        let markdown = MarkdownPlanRenderer().render(plan)
        let json = PlanDocument(plan: plan, desiredPath: "estate.yaml", desiredSHA256: loaded.sha256 ?? "",
                                statePath: "estate.state.json",
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
            }
            if i % 13 == 0 { pair.status = .pending }
            if i % 97 == 0 { out.pairs[PairAddress(rawValue: "zz-orphans/o\(i)")] = pair }
            out.pairs[address] = pair
        }
        return out
    }
}
