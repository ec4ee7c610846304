import Foundation
import TestSupport
import Testing
import VPNForm

@Suite struct StateFileTests {
    static let lineage = "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21"

    func sampleState(pairs: Int = 30) -> StateFile {
        let plan = Planner.plan(desired: generated(pairs), state: StateFile(lineage: Self.lineage))
        var state = applyingCreates(plan, to: StateFile(lineage: Self.lineage))
        if let last = plan.entries.last { state.recordPending(last.address, last.desired!) }
        return state
    }

    @Test("serialising is deterministic and round-trips, bytes and values")
    func roundTrip() throws {
        let state = sampleState()
        let bytes = state.serialized()
        #expect(bytes == state.serialized())
        let parsed = try StateFile.parse(bytes, path: "s.json")
        #expect(parsed == state)
        #expect(parsed.serialized() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\n        {\"created_at\": \"2026-01-01T00:00:00.000Z\", \"id\": "))
    }

    @Test("the example state is in canonical form")
    func exampleIsCanonical() throws {
        let url = Repository.root.appendingPathComponent("examples/quickstart.state.json")
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(try StateFile.parse(bytes, path: url.path).serialized() == bytes)
    }

    @Test("an empty state serialises to a fixed shape")
    func emptyState() throws {
        let text = String(decoding: StateFile(lineage: Self.lineage).serialized(), as: UTF8.self)
        #expect(text == """
            {
              "format": "vpnform-state",
              "lineage": "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21",
              "pairs": {},
              "version": 1
            }

            """)
        #expect(try StateFile.parse(Array(text.utf8), path: "s") == StateFile(lineage: Self.lineage))
    }

    static let damaged: [(String, @Sendable (String) -> String, String)] = [
        ("truncated", { String($0.prefix($0.count / 2)) }, "syntax error"),
        ("garbage", { _ in "not json at all" }, "syntax error: expected a value"),
        ("control bytes", { _ in "\u{7}{}" }, "syntax error"),
        ("unknown version", { $0.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2") }, "version 2 is not supported"),
        ("bad status", { $0.replacingOccurrences(of: "\"status\": \"created\"", with: "\"status\": \"done\"") }, "expected pending, created, updating or deleting"),
        ("malformed id", { $0.replacingOccurrences(of: "\"id\": \"0000000f", with: "\"id\": \"zz00000f") }, "expected a UUID"),
        ("duplicate key", { $0.replacingOccurrences(of: "\"format\": \"vpnform-state\",", with: "\"format\": \"vpnform-state\", \"format\": \"x\",") }, "duplicate key \"format\""),
        ("edited spec", { $0.replacingOccurrences(of: "\"style\": \"static\"", with: "\"style\": \"bgp\"") }, "spec_digest does not match"),
        ("edited connection name", { $0.replacingOccurrences(of: "\"name\": \"gw0-site1-1\"", with: "\"name\": \"renamed\"") }, "does not agree with its spec"),
        ("wrong format", { $0.replacingOccurrences(of: "vpnform-state", with: "terraform-state") }, "format: expected"),
        ("empty", { _ in "" }, "the file is empty"),
    ]

    @Test("a field beside a spec that its spec does not repeat is named, whether the spec escapes its value or not")
    func repeatedFields() throws {
        var state = sampleState(pairs: 6)
        let twos = state.pairs.filter { $0.value.status == .created && $0.value.connections.count == 2 }
            .sorted { $0.key.rawValue < $1.key.rawValue }
        try #require(twos.count >= 2)
        // A connection name with a quote, which its spec spells with an escape.
        let (escaped, plain) = (twos[0].key, twos[1].key)
        var pair = twos[0].value
        pair.connections[0].name = "a\"b"
        var attributes = pair.spec.attributes
        attributes["connections[0].name"] = .string("a\"b")
        pair.spec = PairSpec(attributes: attributes)
        state.pairs[escaped] = pair
        let text = String(decoding: state.serialized(), as: UTF8.self)
        #expect(try StateFile.parse(Array(text.utf8), path: "s") == state)

        let other = "ffffffff-ffff-4fff-8fff-ffffffffffff"
        let second = twos[1].value.connections[1], first = twos[1].value.connections[0]
        let edits: [(PairAddress, String, String, String)] = [
            (escaped, "\"name\": \"a\\\"b\"", "\"name\": \"a\\\"c\"", "connections[0].name"),
            (escaped, "      \"gateway_id\": \"\(pair.gatewayID.rawValue)", "      \"gateway_id\": \"\(other)",
             "gateway_id"),
            (escaped, "      \"cgw_id\": \"\(pair.cgwID.rawValue)", "      \"cgw_id\": \"\(other)", "cgw_id"),
            (plain, "\"name\": \"\(second.name)\", \"vgw_ip\": \"\(second.vgwIP)",
             "\"name\": \"\(second.name)\", \"vgw_ip\": \"10.9.9.9", "connections[1].vgw_ip"),
            (plain, "\"name\": \"\(first.name)\"", "\"name\": \"renamed\"", "connections[0].name"),
        ]
        for (address, from, to, key) in edits {
            // The first occurrence after the pair's own key.
            let pairAt = try #require(text.range(of: "\"\(address.rawValue)\": {"))
            let at = try #require(text.range(of: from, range: pairAt.upperBound..<text.endIndex), "\(from)")
            let damaged = text.replacingCharacters(in: at, with: to)
            do {
                _ = try StateFile.parse(Array(damaged.utf8), path: "s")
                Issue.record("\(address) \(key): parsed")
            } catch {
                #expect(error.description.contains("pairs.\(address.rawValue).\(key) does not agree with its spec"),
                        "\(error)")
            }
        }
    }

    @Test("a damaged state file is a clear, located error", arguments: damaged.indices)
    func damagedFiles(_ i: Int) {
        let (name, damage, message) = Self.damaged[i]
        let text = damage(String(decoding: sampleState().serialized(), as: UTF8.self))
        do {
            _ = try StateFile.parse(Array(text.utf8), path: "s.json")
            Issue.record("\(name): parsed")
        } catch {
            #expect(error.description.contains(message), "\(name): \(error)")
            #expect(error.description.hasPrefix("s.json"), "\(name): \(error)")
        }
    }

    @Test("the store: missing file is an empty state; saves are atomic; damaged files are never replaced")
    func store() throws {
        let scratch = Scratch()
        let store = StateStore(path: scratch.path("s.state.json"))
        let (empty, bytes) = try store.load()
        #expect(bytes == nil && empty.pairs.isEmpty && empty.lineage.count == 36)
        let state = sampleState(pairs: 3)
        try store.save(state)
        #expect(try store.load().state == state)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["s.state.json"])

        let garbage = scratch.write("bad.state.json", "{\"format\": ")
        #expect(throws: StateError.self) { try StateStore(path: garbage).load() }
        #expect(scratch.bytes("bad.state.json") == Array("{\"format\": ".utf8))
    }

    @Test("a store read without its bytes (the file mapped, its pages let go) gives the same state and the same errors")
    func mappedLoad() throws {
        let scratch = Scratch()
        let store = StateStore(path: scratch.path("s.state.json"))
        // Over 4 MiB, so that pages are let go before the end is read.
        let state = sampleState(pairs: 3000)
        try store.save(state)
        let mapped = try store.load(keepingBytes: false)
        #expect(mapped.state == state && mapped.bytes == nil)
        #expect(try store.loadFolded(keepingBytes: false).bytes == nil)

        let text = String(decoding: state.serialized(), as: UTF8.self)
        let badStatus = text.replacingOccurrences(of: "\"status\": \"created\"", with: "\"status\": \"done\"")
        for damaged in ["", "{\"format\": ", text + "x", badStatus] {
            let path = scratch.write("bad.state.json", damaged)
            func message(keepingBytes: Bool) -> String {
                do {
                    _ = try StateStore(path: path).load(keepingBytes: keepingBytes)
                    return "parsed"
                } catch {
                    return error.description
                }
            }
            #expect(message(keepingBytes: false) == message(keepingBytes: true))
            #expect(message(keepingBytes: false).hasPrefix(path))
        }
    }

    @Test("a symbolic link is refused rather than followed")
    func symlink() throws {
        let scratch = Scratch()
        let target = scratch.write("real.json", String(decoding: sampleState(pairs: 1).serialized(), as: UTF8.self))
        try FileManager.default.createSymbolicLink(atPath: scratch.path("link.json"), withDestinationPath: target)
        #expect { try StateStore(path: scratch.path("link.json")).load() } throws: { "\($0)".contains("symbolic link") }
    }

    @Test("a failed write leaves the previous file byte for byte (not as root: root ignores permissions)",
          .enabled(if: getuid() != 0))
    func failedWrite() throws {
        let scratch = Scratch()
        let dir = scratch.url.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("s.json").path
        try StateStore(path: path).save(sampleState(pairs: 2))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        #expect(throws: StateError.self) { try StateStore(path: path).save(sampleState(pairs: 5)) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("the default state path replaces the extension")
    func defaultPath() {
        #expect(StateStore.defaultPath(forDesired: "vpn.yaml") == "vpn.state.json")
        #expect(StateStore.defaultPath(forDesired: "examples/quickstart.yaml") == "examples/quickstart.state.json")
        #expect(StateStore.defaultPath(forDesired: "dir.v2/vpn") == "dir.v2/vpn.state.json")
        #expect(StateStore.defaultPath(forDesired: ".vpn") == ".vpn.state.json")
    }
}
