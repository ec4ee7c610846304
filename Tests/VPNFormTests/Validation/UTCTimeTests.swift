import Foundation
import Testing
import VPNForm

@Suite struct UTCTimeTests {
    @Test("formats and reads the API's and the signer's layouts, agreeing with Foundation")
    func roundTrip() throws {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, 951_782_400, 1_740_120_625, 4_102_444_799] {
            let t = UTCTime(epochSeconds: seconds)
            let iso = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(t.extended + "Z" == iso)
            #expect(t.compact == iso.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: ""))
            #expect(UTCTime(t.compact, compact: true)?.epochSeconds == seconds)
            #expect(UTCTime(t.extended, compact: false)?.epochSeconds == seconds)
        }
    }

    @Test("refuses text that is not exactly the layout or not a real date", arguments: [
        "2025022T065025Z", "20250221T065025", "20250221 065025Z", "2025022aT065025Z", "20250230T065025Z", "20251321T065025Z", "20250221T245025Z",
    ])
    func refuses(_ text: String) {
        #expect(UTCTime(text, compact: true) == nil)
    }
}
