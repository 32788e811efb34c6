/// Who is at the other end of a connection: a local process on the Unix socket (its credentials), or a client on the
/// TLS listener (the subject of the certificate it presented, and its address).
public enum Peer: Sendable, Hashable, CustomStringConvertible {
    case local(PeerCredentials)
    case certificate(subject: String, address: String)

    public var description: String {
        switch self {
        case .local(let credentials): "\(credentials)"
        case .certificate(let subject, let address): "certificate \"\(subject)\" from \(address)"
        }
    }

    /// Whose connections the per-peer limits count together: a uid, or a certificate subject.
    var owner: String {
        switch self {
        case .local(let credentials): "uid \(credentials.uid)"
        case .certificate(let subject, _): "certificate \"\(subject)\""
        }
    }
}
