import Testing
import EstateGenerator
import Foundation
import VPNForm

@Suite struct DesiredStateDecodingTests {
    static let base = """
        version: 1
        region: cn-north-4
        defaults:
          cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5
          psk: ${PSK_DEFAULT}
          peer_subnets: [192.168.2.0/24]
          ikepolicy:
            encryption_algorithm: aes-256
            dpd: {timeout: 30, msg: seq-notify-hash}
          ipsecpolicy: {pfs: group16}
          tags: {team: netops}
        gateways:
          - name: hq
            id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [0d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4, 10.0.0.10]
            connections:
              - name: a
              - name: b
                style: bgp
                psk: ${PSK_B}
                ikepolicy:
                  dh_group: group20
                  dpd: {interval: 60}
                tunnels:
                  - {name: custom-b, tunnel_local_address: 169.254.1.1/30, tunnel_peer_address: 169.254.1.2/30}
                  - {tunnel_local_address: 169.254.1.5/30, tunnel_peer_address: 169.254.1.6/30, ha_role: slave}

        """

    func load(_ text: String) -> LoadedDesiredState {
        DesiredStateLoader().load(bytes: Array(text.utf8), file: "t.yaml")
    }

    @Test("defaults merge into each connection; ikepolicy, ipsecpolicy and dpd key by key")
    func defaultsMerge() throws {
        let loaded = load(Self.base)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let g = try #require(loaded.state?.gateways.first)
        let a = g.connections[0].spec, b = g.connections[1].spec
        #expect(a.cgwID?.value.rawValue == "12f3577a-cbd8-4602-b68c-ecbf792fcec5")
        #expect(a.psk?.value == .environment("PSK_DEFAULT"))
        #expect(b.psk?.value == .environment("PSK_B"))
        #expect(a.effectiveStyle == .static && b.effectiveStyle == .bgp)
        #expect(b.ikePolicy?.encryptionAlgorithm?.value == .aes256)
        #expect(b.ikePolicy?.dhGroup?.value == .group20)
        #expect(b.ikePolicy?.dpd?.timeout?.value == 30)
        #expect(b.ikePolicy?.dpd?.interval?.value == 60)
        #expect(b.ikePolicy?.dpd?.msg?.value == .seqNotifyHash)
        #expect(b.ipsecPolicy?.pfs?.value == .group16)
        #expect(b.tags?.value.map(\.key.value) == ["team"])
        // A connection's own value wins, and keeps its own location; inherited ones point at defaults.
        #expect(b.ikePolicy?.dhGroup?.mark.line == 22)
        #expect(b.ikePolicy?.encryptionAlgorithm?.mark.line == 8)
    }

    @Test("API names: GATEWAY-CONNECTION-N unless tunnels[i].name overrides")
    func apiNames() throws {
        let g = try #require(load(Self.base).state?.gateways.first)
        #expect(g.apiNames(of: g.connections[0]).map(\.value) == ["hq-a-1", "hq-a-2"])
        #expect(g.apiNames(of: g.connections[1]).map(\.value) == ["custom-b", "hq-b-2"])
        #expect(g.address(of: g.connections[1]) == PairAddress(rawValue: "hq/b"))
    }

    @Test("every mistake of a file is reported in one run, in file order")
    func allDiagnostics() {
        let text = Self.base
            .replacingOccurrences(of: "style: bgp", with: "style: bgq")
            .replacingOccurrences(of: "group20", with: "group99")
            .replacingOccurrences(of: "region: cn-north-4", with: "regoin: cn-north-4")
        let d = load(text).diagnostics
        #expect(d.map(\.summary) == [
            "region: required field is missing (or set endpoint)",
            "regoin: unknown key \"regoin\" (did you mean \"region\"?)",
            "gateways[0].connections[1].style: expected one of static, bgp, policy; got \"bgq\" (did you mean \"bgp\"?)",
            "gateways[0].connections[1].ikepolicy.dh_group: expected one of group1, group2, group5, group14, group15, group16, group19, group20, group21; got \"group99\" (did you mean \"group19\"?)",
        ])
        #expect(d.map(\.mark) == d.map(\.mark).sorted())
    }

    @Test("a connection without a name is still decoded for its findings, then dropped")
    func unnamedConnection() {
        let text = Self.base
            .replacingOccurrences(of: "- name: b\n", with: "- prevent_destroy: maybe\n")
            .replacingOccurrences(of: "style: bgp", with: "style: bgq")
            .replacingOccurrences(of: "{name: custom-b, ", with: "{name: 7, ")
        let loaded = load(text)
        #expect(loaded.diagnostics.map(\.summary) == [
            "gateways[0].connections[1].name: required field is missing",
            "gateways[0].connections[1].prevent_destroy: expected true or false, got a string \"maybe\"",
            "gateways[0].connections[1].style: expected one of static, bgp, policy; got \"bgq\""
                + " (did you mean \"bgp\"?)",
            "gateways[0].connections[1].tunnels[0].name: expected a string, got an integer"
                + " (7; quote it if it is meant as text)",
        ])
    }

    @Test("a value written but unreadable is not also reported missing")
    func noDoubleReport() {
        let text = Self.base.replacingOccurrences(of: "psk: ${PSK_B}", with: "psk: 12345678")
        let d = load(text).diagnostics.filter { $0.path.hasPrefix("gateways[0].connections[1].psk") }
        #expect(d.map(\.message) == ["expected a string, got an integer"])
    }

    @Test("defaults written after the gateways still merge into their connections")
    func defaultsAfterGateways() throws {
        let text = """
            version: 1
            region: cn-north-4
            gateways:
              - name: hq
                id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8
                ips: [10.0.0.10]
                connections:
                  - {name: a, cgw_id: 12f3577a-cbd8-4602-b68c-ecbf792fcec5, peer_subnets: [192.168.2.0/24]}
            defaults:
              psk: ${PSK_DEFAULT}

            """
        let loaded = load(text)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let a = try #require(loaded.state?.gateways.first?.connections.first)
        #expect(a.spec.psk?.value == .environment("PSK_DEFAULT"))
        #expect(a.fields.psk == nil)
    }

    @Test("gateways brought in by a << merge decode as when written in place")
    func mergedGateways() throws {
        let written = """
            version: 1
            gateways:
              - {name: hq, id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8, ips: [10.0.0.10], connections: [{name: a}]}

            """
        let merged = """
            base: &base
              gateways:
                - {name: hq, id: 8030f6d6-32a8-4d20-a7f8-50a7a826e2f8, ips: [10.0.0.10], connections: [{name: a}]}
            <<: *base
            version: 1

            """
        let a = try #require(load(written).state?.gateways.first)
        let b = try #require(load(merged).state?.gateways.first)
        #expect(a.name.value == b.name.value && a.connections.count == b.connections.count)
    }

    @Test("psk: ${NAME} is a reference; anything else starting ${ is an error, other text a literal", arguments: [
        ("${PSK_A}", "env PSK_A"), ("${_a1}", "env _a1"), ("${}", "error"), ("${1A}", "error"), ("${A", "error"),
        ("${", "error"), ("${A B}", "error"), ("${\\u00C9}", "error"), ("${A}\\u0301", "error"),
        // `{` and a combining mark are one character: not `${`, so a literal.
        ("${\\u0301A}", "literal"), ("x${A}", "literal"), ("$ {A}", "literal"),
    ])
    func pskReference(text: String, expected: String) throws {
        let yaml = Self.base.replacingOccurrences(of: "psk: ${PSK_B}", with: "psk: \"\(text)\"")
        let loaded = load(yaml)
        let findings = loaded.diagnostics.filter { $0.path == "gateways[0].connections[1].psk" }
        let psk = loaded.state?.gateways.first?.connections[1].fields.psk?.value
        switch expected {
        case "error":
            #expect(findings.map(\.message) == ["expected ${ENV_NAME} with a valid environment variable name "
                + "(letters, digits, _; not starting with a digit)"])
        case "literal":
            // (The validator also finds these short literals too short.)
            #expect(findings.map(\.message).contains("plaintext pre-shared key committed to the file; use ${ENV_NAME}"))
            guard case .literal? = psk else { Issue.record("not a literal: \(String(describing: psk))"); return }
        default:
            #expect(findings.isEmpty)
            #expect(psk == .environment(String(expected.dropFirst(4))))
        }
    }
}

/// Gateways read in place from their events decode exactly as gateways composed into a tree.
@Suite struct RecordedGatewayDecodingTests {
    /// The same file with its gateways list anchored: an anchored list is never streamed, so every
    /// gateway is then decoded from the composed tree.
    static func composedEverywhere(_ text: String) -> String {
        text.replacingOccurrences(of: "\ngateways:\n", with: "\ngateways: &all\n")
    }

    static let variety = DesiredStateDecodingTests.base + """
          - name: br
            id: 9030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [1d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
            prevent_destroy: true
            connections:
              - name: p
                style: policy
                cgw_id: 22f3577a-cbd8-4602-b68c-ecbf792fcec5
                policy_rules:
                  - {source: 10.1.0.0/24, destination: [192.168.9.0/24, 192.168.10.0/24]}
                ipsecpolicy: {authentication_algorithm: sha2-256, encryption_algorithm: aes-128, lifetime_seconds: 7200}
                tags: {site: "s1", "tier": t2}
                prevent_destroy: true
              - name: s
                enable_nqa: true
                tunnel_local_address: 169.254.2.1/30
                tunnel_peer_address: 169.254.2.2/30
                ha_role: master
                ikepolicy: {ike_version: v1, phase1_negotiation_mode: main, lifetime_seconds: 86400, local_id_type: fqdn, local_id: a.example}
          - name: anchored
            id: &gid a030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [2d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
            connections: [{name: c, style: bgp, enable_hub: true}]
          - name: merged
            id: b030f6d6-32a8-4d20-a7f8-50a7a826e2f8
            ips: [3d0f4af1-42b9-41eb-97b9-b4d41a0bf9c4]
            connections: [{<<: {style: bgp}, name: d}]
          - name: wrong
            id: *gid
            ips: [10.0.0.1, 10.0.0.1, 10.0.0.2]
            colour: blue
            connections:
              - {name: e, name: f, psk: hunter22-literal, style: nope, peer_subnets: [10.0.0.1/24]}
              - {name: g, tags: {k: [1]}, ikepolicy: {lifetime_seconds: 5}, tunnels: {a: 1}}

        """

    func load(_ text: String) -> LoadedDesiredState {
        DesiredStateLoader().load(bytes: Array(text.utf8), file: "t.yaml")
    }

    @Test("every kind of field, anchors, merges and mistakes: the same state and diagnostics")
    func variety() throws {
        let streamed = load(Self.variety), composed = load(Self.composedEverywhere(Self.variety))
        #expect(Self.composedEverywhere(Self.variety) != Self.variety)
        let state = try #require(streamed.state)
        #expect(state.gateways.map(\.name.value) == ["hq", "br", "anchored", "merged", "wrong"])
        #expect(streamed.state == composed.state)
        #expect(streamed.diagnostics == composed.diagnostics)
        #expect(!streamed.diagnostics.isEmpty)
    }

    @Test("generated estates: the same state and diagnostics", arguments: [(60, false), (45, true)])
    func generated(pairs: Int, twoIPs: Bool) throws {
        let text = EstateGenerator(pairs: pairs, connectionsPerGateway: 7, seed: 7, twoIPs: twoIPs).yaml()
        let streamed = load(text), composed = load(Self.composedEverywhere(text))
        #expect(Self.composedEverywhere(text) != text)
        #expect(try #require(streamed.state).pairCount == pairs)
        #expect(streamed.state == composed.state)
        #expect(streamed.diagnostics == composed.diagnostics)
    }
}
