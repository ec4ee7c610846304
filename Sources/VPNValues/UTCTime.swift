#if canImport(Glibc)
import Glibc
#endif

/// A UTC calendar time to the second, converted with the C library (no ICU, no locale): the API's
/// timestamps and the signer's `X-Sdk-Date` are formatted and read many times per second in an apply.
public struct UTCTime: Equatable, Sendable {
    public var year, month, day, hour, minute, second: Int

    /// The time `seconds` after the Unix epoch.
    public init(epochSeconds seconds: Int) {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        (year, month, day) = (Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        (hour, minute, second) = (Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Reads fixed-width digits: `yyyyMMdd'T'HHmmss'Z'` (`compact`) or `yyyy-MM-dd'T'HH:mm:ss`.
    public init?(_ text: some StringProtocol, compact: Bool) {
        let b = Array(text.utf8)
        let layout: [(Int, Int)] = compact ? [(0, 4), (4, 2), (6, 2), (9, 2), (11, 2), (13, 2)] : [(0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2)]
        let separators: [(Int, UInt8)] = compact ? [(8, UInt8(ascii: "T")), (15, UInt8(ascii: "Z"))]
            : [(4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")), (10, UInt8(ascii: "T")), (13, UInt8(ascii: ":")), (16, UInt8(ascii: ":"))]
        guard b.count == (compact ? 16 : 19), separators.allSatisfy({ b[$0.0] == $0.1 }) else { return nil }
        var values: [Int] = []
        for (start, width) in layout {
            var v = 0
            for c in b[start..<start + width] {
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(c - UInt8(ascii: "0"))
            }
            values.append(v)
        }
        (year, month, day, hour, minute, second) = (values[0], values[1], values[2], values[3], values[4], values[5])
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61,
              UTCTime(epochSeconds: epochSeconds) == self else { return nil }
    }

    /// Seconds since the Unix epoch.
    public var epochSeconds: Int {
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts))
    }

    /// `20250221T065025Z`, as `X-Sdk-Date` carries it.
    public var compact: String {
        Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2) + "T" + Self.pad(hour, 2) + Self.pad(minute, 2) + Self.pad(second, 2) + "Z"
    }

    /// `2025-02-21T06:50:25`, the API's timestamps without their fraction.
    public var extended: String {
        Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T" + Self.pad(hour, 2) + ":" + Self.pad(minute, 2) + ":" + Self.pad(second, 2)
    }

    /// `n` in decimal, zero-padded to `width` digits.
    public static func pad(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
