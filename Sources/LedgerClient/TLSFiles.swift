/// A client's side of mutual TLS, for a daemon at a `tls://HOST:PORT` address: its certificate chain and key (PEM),
/// and the certificates (PEM) the daemon's certificate must chain to.
public struct TLSFiles: Sendable, Hashable {
    public var certificateFile: String
    public var keyFile: String
    public var caFile: String

    public init(certificateFile: String, keyFile: String, caFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.caFile = caFile
    }
}
