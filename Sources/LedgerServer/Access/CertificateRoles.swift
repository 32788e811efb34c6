import LedgerProtocol

/// The roles of TLS clients (`tls.roles`), by their certificate, as `roles.users` and `roles.groups` give those of
/// local peers: `subjects` maps a certificate's whole subject (RFC 4514, most specific name first, as
/// `openssl x509 -noout -subject -nameopt RFC2253` prints it, such as `CN=ledgerd-follower,O=Example Council`) and
/// wins; otherwise `names` maps its subject alternative names (DNS names, URIs, email addresses) and the most
/// privileged match counts. A certificate that matches neither has no role.
public struct CertificateRoles: Sendable, Hashable {
    public var subjects: [String: Role] = [:]
    public var names: [String: Role] = [:]

    public init(subjects: [String: Role] = [:], names: [String: Role] = [:]) {
        self.subjects = subjects
        self.names = names
    }

    /// The role of a certificate with `subject` and the alternative `names`, if any.
    public func role(subject: String, names alternatives: [String]) -> Role? {
        if let role = subjects[subject] { return role }
        return alternatives.compactMap { names[$0] }.max()
    }
}
