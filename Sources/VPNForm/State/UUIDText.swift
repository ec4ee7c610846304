import Foundation

/// Random lower-case UUIDs, as the API and the state's lineage write them.
public enum UUIDText {
    /// A new random (version 4) UUID in lower case.
    public static func random() -> String { UUID().uuidString.lowercased() }
}
