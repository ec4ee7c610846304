@testable import VPNForm
import Testing

@Suite struct KeySetTests {
    @Test("every key of the decoder's sets is found by its hash alone, at its own slot")
    func decoderSets() {
        let sets = [DesiredStateDecoder.topKeys, DesiredStateDecoder.gatewayKeys, DesiredStateDecoder.fieldKeys,
                    DesiredStateDecoder.connectionKeys, DesiredStateDecoder.moveKeys, DesiredStateDecoder.ikeKeys,
                    DesiredStateDecoder.dpdKeys, DesiredStateDecoder.ipsecKeys, DesiredStateDecoder.tunnelKeys,
                    DesiredStateDecoder.ruleKeys]
        for set in sets {
            #expect(set.hasPerfectHash, "\(set.names)")
        }
        let connection = DesiredStateDecoder.connectionKeys
        #expect(connection.names[connection.slot(ofKnown: "enable_nqa")] == "enable_nqa")
        #expect(connection.names[connection.slot(ofKnown: "enable_hub")] == "enable_hub")
        #expect(connection.names[connection.slot(ofKnown: "policy_rules")] == "policy_rules")
        #expect(connection.names[connection.slot(ofKnown: "peer_subnets")] == "peer_subnets")
    }

    @Test("keys no hash tells apart (same length, first, middle and last byte) are found by comparing them")
    func alike() {
        let set = KeySet(["axcd", "aycd", "b"])
        #expect(!set.hasPerfectHash)
        #expect(set.slot(ofKnown: "axcd") == 0)
        #expect(set.slot(ofKnown: "aycd") == 1)
        #expect(set.slot(ofKnown: "b") == 2)
    }
}
