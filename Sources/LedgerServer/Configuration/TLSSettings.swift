import LedgerClient
import LedgerProtocol

/// The TLS listener (`tls`): the line protocol over TCP with mutual TLS, for followers and services on other
/// machines. Every client presents a certificate signed by `clientCAFile`; its role comes from `roles`.
public struct TLSSettings: Sendable {
    /// `tls.listen`: `HOST:PORT` (numeric host; port 0 takes any free port, which the log names).
    public var listen: ListenAddress
    /// `tls.certificateFile`: the server's certificate chain (PEM), leaf first.
    public var certificateFile: String
    /// `tls.keyFile`: the server certificate's private key (PEM).
    public var keyFile: String
    /// `tls.clientCAFile`: the certificates (PEM) that client certificates must chain to.
    public var clientCAFile: String
    /// `tls.roles`: client certificates to roles.
    public var roles: CertificateRoles
    /// `tls.maxPendingHandshakes`: connections whose handshake is not done yet, in all (apart from those served).
    public var maxPendingHandshakes = 64
    /// `tls.maxPendingPerAddress`: such connections from one address (an IPv6 /64 counting as one).
    public var maxPendingPerAddress = 4
    /// `tls.handshakeTimeoutSeconds`: how long a handshake may take before the connection is closed.
    public var handshakeTimeout = Duration.seconds(10)

    public init(
        listen: ListenAddress,
        certificateFile: String,
        keyFile: String,
        clientCAFile: String,
        roles: CertificateRoles = CertificateRoles()
    ) {
        self.listen = listen
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.roles = roles
    }
}

extension ServerConfiguration {
    /// Reads the `tls` section: `listen`, `certificateFile`, `keyFile`, `clientCAFile` (all required) and `roles`
    /// (`subjects` and `names`, each to a role).
    static func tlsSettings(_ section: ConfigReader) throws(ConfigurationError) -> TLSSettings {
        try section.expectKeys([
            "listen", "certificateFile", "keyFile", "clientCAFile", "roles", "maxPendingHandshakes",
            "maxPendingPerAddress", "handshakeTimeoutSeconds",
        ])
        func required(_ name: String) throws(ConfigurationError) -> String {
            guard let value = try section.string(name) else {
                throw ConfigurationError(key: section.key(name), "is required when tls is configured")
            }
            return value
        }
        var settings = TLSSettings(
            listen: try ListenAddress(try required("listen"), key: section.key("listen")),
            certificateFile: try required("certificateFile"),
            keyFile: try required("keyFile"),
            clientCAFile: try required("clientCAFile")
        )
        if let value = try section.integer("maxPendingHandshakes", in: 1...100_000) {
            settings.maxPendingHandshakes = value
        }
        if let value = try section.integer("maxPendingPerAddress", in: 1...100_000) {
            settings.maxPendingPerAddress = value
        }
        if let value = try section.seconds("handshakeTimeoutSeconds") {
            settings.handshakeTimeout = .milliseconds(Int64(value * 1000))
        }
        if let roles = try section.section("roles") {
            try roles.expectKeys(["subjects", "names"])
            settings.roles = CertificateRoles(
                subjects: try roles.roles("subjects") { $0 },
                names: try roles.roles("names") { $0 }
            )
        }
        return settings
    }

    /// Reads `replication`'s client certificate for a primary at a `tls://` address: `certificateFile`, `keyFile`
    /// and `caFile` (the CA that signed the primary's certificate), all or none.
    static func replicationTLS(_ section: ConfigReader) throws(ConfigurationError) -> TLSFiles? {
        let given = (
            try section.string("certificateFile"), try section.string("keyFile"), try section.string("caFile")
        )
        switch given {
        case (nil, nil, nil):
            return nil
        case (let certificate?, let key?, let authority?):
            return TLSFiles(certificateFile: certificate, keyFile: key, caFile: authority)
        default:
            throw ConfigurationError(
                key: section.key("certificateFile"),
                "replication.certificateFile, keyFile and caFile go together (a follower's client certificate)"
            )
        }
    }
}

extension Role {
    /// What a configuration error about a role says: every role there is, in order.
    static var choices: String { "must be one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}
