import Testing
import VPNCrypto

@Suite struct CryptoTests {
    @Test("SHA-256: FIPS 180-2 vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(input: String, expected: String) {
        #expect(SHA256.hex(input) == expected)
    }

    @Test("SHA-256 with one hasher reused: the same digests, one after another")
    func sha256Reused() {
        let hasher = SHA256.Hasher()
        let long = String(repeating: "x", count: 1000)
        for input in ["", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", long] {
            var out = [UInt8](repeating: 0, count: 32)
            Array(input.utf8).withUnsafeBytes { b in out.withUnsafeMutableBytes { hasher.digest(b, into: $0) } }
            #expect(out == SHA256.digest(Array(input.utf8)), "\(input.prefix(10))")
        }
    }

    @Test("SHA-256 of a million a's")
    func sha256Million() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("HMAC-SHA256: RFC 4231 test cases 1, 2, 6 and 7")
    func hmac() {
        #expect(Hex.encode(HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Hex.encode(HMACSHA256.mac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let bigKey = [UInt8](repeating: 0xaa, count: 131)
        #expect(Hex.encode(HMACSHA256.mac(key: bigKey, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        let message = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
        #expect(Hex.encode(HMACSHA256.mac(key: bigKey, message: Array(message.utf8)))
                == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }
}
