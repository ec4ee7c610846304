import Foundation
import TestSupport
import Testing

/// The real binary, end to end: exit codes, streams, formats.
@Suite struct ValidateCommandTests {

    static let invalid = """
        version: 1
        region: cn-north-4
        gateways:
          - name: hq
            id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
            connections:
              - name: a
                cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5
                style: statc
                psk: "Sup3rSecret!"
                peer_subnets: [192.168.2.0/24]

        """

    @Test("a valid example exits 0 with a summary on stdout")
    func valid() throws {
        let r = try BinaryRunner.run(["validate", "-f", "examples/quickstart.yaml"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("examples/quickstart.yaml: valid: 1 gateway, 2 pairs (4 API connections)"))
    }

    @Test("an invalid file exits 1 with located diagnostics on stderr, and never the key")
    func invalidText() throws {
        let scratch = Scratch()
        let file = scratch.url("invalid.yaml")
        scratch.write("invalid.yaml", Self.invalid)
        let r = try BinaryRunner.run(["validate", "-f", file.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(file.path):10:16: error: gateways[0].connections[0].style: expected one of static, bgp, policy; got \"statc\" (did you mean \"static\"?)"))
        #expect(r.stderr.contains("\(file.path):11:14: warning: gateways[0].connections[0].psk: plaintext pre-shared key"))
        #expect(!r.stderr.contains("Sup3rSecret!") && !r.stdout.contains("Sup3rSecret!"))
    }

    @Test("--format github and json print to stdout")
    func formats() throws {
        let scratch = Scratch()
        let file = scratch.url("invalid.yaml")
        scratch.write("invalid.yaml", Self.invalid)
        let gh = try BinaryRunner.run(["validate", "-f", file.path, "--format", "github"])
        #expect(gh.status == 1)
        #expect(gh.stdout.contains("::error file=\(file.path),line=10,col=16::gateways[0].connections[0].style: expected one of"))
        let json = try BinaryRunner.run(["validate", "-f", file.path, "--format=json"])
        #expect(json.status == 1)
        let array = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let first = try #require(array?.first { $0["severity"] as? String == "error" })
        #expect(first["line"] as? Int == 10)
        #expect(first["column"] as? Int == 16)
        #expect(first["path"] as? String == "gateways[0].connections[0].style")
    }

    @Test("usage errors exit 64 and show the usage", arguments: [
        ["validate", "--fromat", "json"], ["validate", "--format", "xml"], ["frobnicate"], [],
    ])
    func usage(arguments: [String]) throws {
        let r = try BinaryRunner.run(arguments)
        #expect(r.status == 64)
        #expect(r.stderr.contains("USAGE") || r.stderr.contains("--format must be one of"))
    }

    @Test("--help on every command, and version")
    func help() throws {
        for command in ["validate", "version"] {
            let r = try BinaryRunner.run([command, "--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("USAGE: vpnform \(command)"))
        }
        let v = try BinaryRunner.run(["version"])
        #expect(v.stdout.hasPrefix("vpnform "))
    }

    @Test("a missing file is an error naming the file, exit 1")
    func missingFile() throws {
        let r = try BinaryRunner.run(["validate", "-f", "no/such/file.yaml"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no/such/file.yaml: error: cannot read the file"))
    }
}
