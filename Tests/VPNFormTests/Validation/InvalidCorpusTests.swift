import Foundation
import LocatedYAML
import TestSupport
import Testing
import VPNForm

/// Every file in `Fixtures/invalid/` holds one mistake, a `1️⃣` marker where the diagnostic must
/// point, and a header line `# expect: SEVERITY: TEXT` (TEXT is part of `path: message`).
@Suite struct InvalidCorpusTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let source: String
        var testDescription: String { name }
    }

    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("invalid")

    static let cases: [Case] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { name in
            Case(name: name, source: (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }
    }()

    @Test("the corpus has at least 40 files")
    func corpusSize() {
        #expect(Self.cases.count >= 40)
    }

    @Test("each invalid file gives the expected diagnostic at the marker", arguments: cases)
    func expectedDiagnostic(_ c: Case) throws {
        let expectLine = try #require(c.source.split(separator: "\n").first { $0.hasPrefix("# expect: ") })
        let expectation = expectLine.dropFirst("# expect: ".count)
        let severity = try #require(expectation.split(separator: ":", maxSplits: 1).first).trimmingCharacters(in: .whitespaces)
        let text = expectation.split(separator: ":", maxSplits: 1).dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? ""
        let marked = MarkedSource(c.source)
        let mark = try #require(marked.mark, "no 1️⃣ marker in \(c.name)")

        let loaded = DesiredStateLoader().load(bytes: Array(marked.text.utf8), file: c.name)
        #expect(!loaded.isValid, "\(c.name) should be invalid")
        let hit = loaded.diagnostics.first {
            $0.severity.rawValue == severity && $0.mark == mark && $0.summary.contains(text)
        }
        #expect(hit != nil, """
            \(c.name): expected \(severity) at \(mark) containing: \(text)
            got:
            \(loaded.diagnostics.map(\.description).joined(separator: "\n"))
            """)
    }

    @Test("no diagnostic quotes a literal pre-shared key", arguments: cases)
    func noSecretInDiagnostics(_ c: Case) {
        let marked = MarkedSource(c.source)
        let literalKeys = marked.text.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("psk:") else { return nil }
            let v = t.dropFirst(4).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return v.hasPrefix("${") || v.isEmpty ? nil : v
        }
        let loaded = DesiredStateLoader().load(bytes: Array(marked.text.utf8), file: c.name)
        let rendered = DiagnosticFormat.allCases.map { $0.render(loaded.diagnostics) }.joined()
        for key in literalKeys {
            #expect(!rendered.contains(key), "\(c.name) leaks its pre-shared key")
        }
    }
}
