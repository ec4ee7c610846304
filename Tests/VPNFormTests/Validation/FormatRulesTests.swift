@testable import VPNForm
import Testing

@Suite struct FormatRulesTests {
    @Test("IPv4 addresses parse strictly", arguments: [
        ("10.0.0.1", true), ("255.255.255.255", true), ("0.0.0.0", true), ("256.0.0.1", false), ("1.2.3", false),
        ("1.2.3.4.5", false), ("01.2.3.4", false), ("1.2.3.4 ", false), ("a.b.c.d", false), ("", false), ("1..2.3", false),
    ])
    func ipv4(text: String, valid: Bool) {
        #expect((IPv4Address(text) != nil) == valid)
    }

    @Test("CIDRs", arguments: [
        ("192.168.2.0/24", nil as String?), ("10.0.0.0/8", nil), ("192.168.2.1/24", "not a network address (did you mean 192.168.2.0/24?)"),
        ("100.64.1.0/24", "reserved by the VPC service"), ("214.1.0.0/16", "reserved by the VPC service"),
        ("127.0.0.0/8", "not a unicast range"), ("192.168.2.0", "expected an IPv4 CIDR"), ("192.168.2.0/33", "expected an IPv4 CIDR"),
        ("192.168.2.0/024", "expected an IPv4 CIDR"), ("10.0.0.0/+8", "expected an IPv4 CIDR"), ("10.0.0.0/-0", "expected an IPv4 CIDR"),
        ("10.0.0.0/", "expected an IPv4 CIDR"), ("10.0.0.0/8/8", "expected an IPv4 CIDR"), ("10.0.0.0/٨", "expected an IPv4 CIDR"),
    ])
    func subnets(text: String, problem: String?) {
        let message = FormatRules.subnet(text)
        if let problem { #expect(message?.contains(problem) == true, "\(message ?? "nil")") } else { #expect(message == nil) }
    }

    @Test("tunnel interface addresses", arguments: [
        ("169.254.56.225/30", nil as String?), ("169.254.56.226/30", nil), ("169.254.56.224/30", "network or broadcast"),
        ("169.254.56.227/30", "network or broadcast"), ("169.254.195.1/30", "169.254.195.0/24"), ("169.254.56.225/29", "expected a /30"),
        ("10.0.0.1/30", "expected a /30 address in 169.254.0.0/16"),
    ])
    func tunnelAddress(text: String, problem: String?) {
        let message = FormatRules.tunnelAddress(text)
        if let problem { #expect(message?.contains(problem) == true, "\(message ?? "nil")") } else { #expect(message == nil) }
    }

    @Test("tunnel address pairs share one /30 and differ")
    func tunnelPairs() {
        #expect(FormatRules.tunnelPair(local: "169.254.56.225/30", peer: "169.254.56.226/30") == nil)
        #expect(FormatRules.tunnelPair(local: "169.254.56.225/30", peer: "169.254.56.225/30") == "must differ from tunnel_local_address")
        #expect(FormatRules.tunnelPair(local: "169.254.56.225/30", peer: "169.254.56.230/30")?.contains("same /30") == true)
    }

    @Test("a pair is checked only when both addresses pass on their own, as the rules were applied before")
    func tunnelPairsOfValidAddresses() {
        let addresses = ["169.254.56.225/30", "169.254.56.226/30", "169.254.56.224/30", "169.254.56.227/30",
                         "169.254.195.1/30", "169.254.56.225/29", "10.0.0.1/30", "169.254.56.230/30", "x", ""]
        var paired = 0
        for l in addresses {
            for p in addresses {
                let before = FormatRules.tunnelAddress(l) == nil && FormatRules.tunnelAddress(p) == nil
                    ? FormatRules.tunnelPair(local: l, peer: p) : nil
                #expect(FormatRules.tunnelPairOfValid(local: l, peer: p) == before, "\(l) \(p)")
                if before != nil { paired += 1 }
            }
        }
        #expect(paired == 7)  // of the 3 valid addresses: 3 equal pairs, 4 across two /30s
    }

    @Test("literal pre-shared keys: length, characters, three classes; never echoed", arguments: [
        ("Abcdef12", nil as String?), ("abc{def} 12", nil), ("Abc1", "8-128 characters"), (String(repeating: "Aa1", count: 43), "8-128"),
        ("abcdefgh12", "at least 3 of"), ("Abcdef1*", "not allowed"), ("Abcdéf12", "not allowed"),
    ])
    func psk(key: String, problem: String?) {
        let message = FormatRules.literalPSK(key)
        if let problem { #expect(message?.contains(problem) == true, "\(message ?? "nil")") } else { #expect(message == nil) }
        #expect(message?.contains(key) != true)
    }

    @Test("UUIDs, handles, gateway IPs, project ids, regions")
    func identifiers() {
        #expect(FormatRules.isUUID("8030f6d6-32a8-4d20-a7f8-50a7a826e2f8"))
        #expect(!FormatRules.isUUID("8030f6d6-32a8-4d20-a7f8-50a7a826e2f"))
        #expect(!FormatRules.isUUID("8030f6d6x32a8-4d20-a7f8-50a7a826e2f8"))
        #expect(FormatRules.isHandle("hq-shanghai_1.a"))
        #expect(!FormatRules.isHandle(""))
        #expect(!FormatRules.isHandle(String(repeating: "a", count: 65)))
        #expect(!FormatRules.isHandle("hq/shanghai"))
        #expect(FormatRules.gatewayIP("10.0.0.10") == nil)
        #expect(FormatRules.gatewayIP("eip-1") != nil)
        #expect(FormatRules.projectID("0123456789abcdef0123456789abcdef") == nil)
        #expect(FormatRules.projectID("0123456789abcdef") != nil)
        #expect(FormatRules.region("cn-north-4") == nil)
        #expect(FormatRules.region("eu-west-101") == nil)
        #expect(FormatRules.region("north4") != nil)
    }

    @Test("tag text allows letters of any script")
    func tagText() {
        #expect(FormatRules.tagText("équipe réseau_1 @ 北京:=+-."))
        #expect(!FormatRules.tagText("a/b"))
        #expect(!FormatRules.tagText("a#b"))
    }

    @Test("endpoints: https, or http to loopback only")
    func endpoints() {
        #expect(EndpointRule.problem("https://vpn.cn-north-4.myhuaweicloud.com") == nil)
        #expect(EndpointRule.problem("http://127.0.0.1:8080") == nil)
        #expect(EndpointRule.problem("http://localhost:1") == nil)
        #expect(EndpointRule.problem("http://vpn.example.com")?.contains("loopback") == true)
        #expect(EndpointRule.problem("https://vpn.example.com/v5")?.contains("without path") == true)
        #expect(EndpointRule.problem("ftp://x") != nil)
    }

    @Test("edit distance and suggestions")
    func suggestions() {
        #expect(Suggestion.distance("stlye", "style") == 2)
        #expect(Suggestion.closest(to: "stlye", in: ["style", "name"]) == "style")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["style", "name"]) == nil)
    }
}
