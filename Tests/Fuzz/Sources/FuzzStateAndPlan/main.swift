import CLibCrypto
import FuzzDriver
import VPNForm

/// libFuzzer entry: the state-file reader, the journal replay and the saved-plan reader, on any
/// bytes, and the same bytes as a value inside a spec whose digest is recomputed as a hand editor
/// could (the state reader's fast path). A state that parses must serialise and parse back to
/// itself, and every spec it holds must be readable.
func fuzzStateAndPlan(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkState(bytes, path: "fuzz.state.json")
    checkState(stateWithSpec(holding: bytes), path: "fuzz.spec.state.json")
    _ = try? SavedPlan.parse(bytes, path: "fuzz.plan.json")
    let empty = StateFile(lineage: "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21")
    _ = try? StateJournal.replay(bytes, onto: empty, path: "fuzz.journal")
    return 0
}

func checkState(_ bytes: [UInt8], path: String) {
    guard let state = try? StateFile.parse(bytes, path: path) else { return }
    let again = try? StateFile.parse(state.serialized(), path: "again")
    if again != state { fatalError("a parsed state does not round-trip") }
    for pair in state.pairs.values where !pair.spec.changes(to: pair.spec).isEmpty {
        fatalError("a spec differs from itself")
    }
}

/// A one-pair state whose spec's first member is `"a": <bytes>`, with `spec_digest` the SHA-256
/// of the spec's text without the whitespace outside strings.
func stateWithSpec(holding value: [UInt8]) -> [UInt8] {
    let spec = Array("{\"a\": ".utf8) + value + Array(specMembers.utf8)
    var stripped: [UInt8] = [], inString = false, escaped = false
    for b in spec {
        if inString {
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                inString = false
            }
        } else if b == UInt8(ascii: "\"") {
            inString = true
        } else if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
            continue
        }
        stripped.append(b)
    }
    var digest = [UInt8](repeating: 0, count: 32)
    _ = stripped.withUnsafeBufferPointer { SHA256($0.baseAddress, $0.count, &digest) }
    let hex = digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    let digestMember = ",\n      \"spec_digest\": \"sha256:\(hex)\",\n"
    return Array(statePrefix.utf8) + spec + Array(digestMember.utf8) + Array(stateSuffix.utf8)
}

let statePrefix = """
    {
      "format": "vpnform-state",
      "lineage": "6c7f1c2e-4c39-4a0e-9d5e-1f0a9a3b7d21",
      "pairs": {
        "hq/chengdu": {
          "cgw_id": "7d1e4c2a-5b3f-4e8d-9a61-2f0c8b7e5d94",
          "connections": [
            {"id": "0b9e3f57-8c2d-4a16-b7e0-3d5f9c1a2e84", "name": "hq-chengdu-1",
             "vgw_ip": "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4"}
          ],
          "gateway_id": "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8",
          "spec": 
    """
let specMembers = """
    ,
            "cgw_id": "7d1e4c2a-5b3f-4e8d-9a61-2f0c8b7e5d94",
            "connections[0].name": "hq-chengdu-1",
            "connections[0].vgw_ip": "0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4",
            "gateway_id": "8030f6d6-32a8-4d20-a7f8-50a7a826e2f8",
            "style": "static"
          }
    """
let stateSuffix = """
          "status": "created"
        }
      },
      "version": 1
    }

    """

runFuzzer { fuzzStateAndPlan($0, $1) }
