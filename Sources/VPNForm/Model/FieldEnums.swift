/// A closed set of string values of an API field, spelled as the API spells them.
public protocol FieldEnum: RawRepresentable<String>, CaseIterable, Sendable, Hashable {}

extension FieldEnum {
    /// The allowed spellings, in declaration order.
    public static var spellings: [String] { allCases.map(\.rawValue) }
}

/// How a connection routes: `static` (default), `bgp`, or `policy`.
public enum ConnectionStyle: String, FieldEnum { case `static`, bgp, policy }

/// A connection's role on an active-standby gateway.
public enum HARole: String, FieldEnum { case master, slave }

/// IKE protocol version.
public enum IKEVersion: String, FieldEnum { case v1, v2 }

/// IKEv1 phase-1 negotiation mode.
public enum Phase1NegotiationMode: String, FieldEnum { case main, aggressive }

/// Integrity algorithm of IKE and IPsec.
public enum AuthenticationAlgorithm: String, FieldEnum {
    case sha1, md5
    case sha2_256 = "sha2-256", sha2_384 = "sha2-384", sha2_512 = "sha2-512"

    /// Flagged weak by Huawei's documentation.
    public var isWeak: Bool { self == .sha1 || self == .md5 }
}

/// Encryption algorithm of IKE and IPsec.
public enum EncryptionAlgorithm: String, FieldEnum {
    case tripleDES = "3des", aes128 = "aes-128", aes192 = "aes-192", aes256 = "aes-256"
    case aes128GCM16 = "aes-128-gcm-16", aes256GCM16 = "aes-256-gcm-16"
    case aes128GCM128 = "aes-128-gcm-128", aes256GCM128 = "aes-256-gcm-128"
}

/// Diffie-Hellman group of IKE.
public enum DHGroup: String, FieldEnum {
    case group1, group2, group5, group14, group15, group16, group19, group20, group21

    /// Flagged weak by Huawei's documentation.
    public var isWeak: Bool { [.group1, .group2, .group5, .group14].contains(self) }
}

/// Perfect forward secrecy group of IPsec, or `disable`.
public enum PFSGroup: String, FieldEnum {
    case group1, group2, group5, group14, group15, group16, group19, group20, group21, disable
}

/// How IKE authenticates.
public enum IKEAuthenticationMethod: String, FieldEnum {
    case preShare = "pre-share"
    case digitalEnvelopeV2 = "digital-envelope-v2"
}

/// Type of an IKE local or peer identity.
public enum IdentityType: String, FieldEnum { case ip, fqdn }

/// Order of the DPD packet payloads.
public enum DPDMessageOrder: String, FieldEnum {
    case seqHashNotify = "seq-hash-notify"
    case seqNotifyHash = "seq-notify-hash"
}

/// IPsec transform protocol.
public enum TransformProtocol: String, FieldEnum { case esp }

/// IPsec encapsulation mode.
public enum EncapsulationMode: String, FieldEnum { case tunnel }
