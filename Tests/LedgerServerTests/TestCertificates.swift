import Crypto
import Foundation
import LedgerClient
import LedgerTestSupport
import SwiftASN1
import X509

/// A certificate authority and the certificates of a TLS test, made at test time (never committed) and written as
/// PEM files in a temporary directory: the CA, the server's certificate (for 127.0.0.1 and localhost) and clients'.
final class TestCertificates {
    let directory: TemporaryDirectory
    let organization: String
    private let authorityKey = P256.Signing.PrivateKey()
    private let authorityName: DistinguishedName

    /// The CA's certificate, PEM.
    var authorityFile: String { directory.appending("ca.pem") }

    init(organization: String = "Test Council") throws {
        directory = try TemporaryDirectory(prefix: "ledger-tls")
        self.organization = organization
        authorityName = try DistinguishedName {
            OrganizationName(organization)
            CommonName("\(organization) CA")
        }
        let authority = try sign(
            authorityName,
            key: authorityKey.publicKey,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            }
        )
        try authority.serializeAsPEM().pemString.write(toFile: authorityFile, atomically: true, encoding: .utf8)
    }

    /// Issues a certificate named `CN=<commonName>,O=<organization>` with the DNS alternative `names` (and
    /// 127.0.0.1 when `loopback`), for servers and clients alike; returns its certificate and key files.
    func issue(_ commonName: String, names: [String] = [], loopback: Bool = false) throws -> (String, String) {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        var alternatives = names.map { GeneralName.dnsName($0) }
        if loopback { alternatives.append(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))) }
        let certificate = try sign(
            subject,
            key: key.publicKey,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(alternatives)
            }
        )
        let (certificateFile, keyFile) = (
            directory.appending("\(commonName).pem"), directory.appending("\(commonName).key")
        )
        try certificate.serializeAsPEM().pemString.write(toFile: certificateFile, atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: keyFile, atomically: true, encoding: .utf8)
        return (certificateFile, keyFile)
    }

    /// A certificate for `subject` and its public `key`, valid from an hour ago for a day, signed by the CA.
    private func sign(
        _ subject: DistinguishedName,
        key: P256.Signing.PublicKey,
        extensions: Certificate.Extensions
    ) throws -> Certificate {
        try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: .init(key),
            notValidBefore: Date() - 3600,
            notValidAfter: Date() + 86_400,
            issuer: authorityName,
            subject: subject,
            extensions: extensions,
            issuerPrivateKey: .init(authorityKey)
        )
    }

    /// A client's files for `commonName`, trusting this CA for the server.
    func client(_ commonName: String, names: [String] = []) throws -> TLSFiles {
        let (certificate, key) = try issue(commonName, names: names)
        return TLSFiles(certificateFile: certificate, keyFile: key, caFile: authorityFile)
    }

    /// The `tls` section of a daemon's configuration listening on 127.0.0.1:`port`, with `roles`.
    func serverSection(port: Int, roles: String) throws -> String {
        let (certificate, key) = try issue("ledgerd", names: ["localhost"], loopback: true)
        return #""tls":{"listen":"127.0.0.1:\#(port)","certificateFile":"\#(certificate)","keyFile":"\#(key)","#
            + #""clientCAFile":"\#(authorityFile)","roles":\#(roles)}"#
    }

    /// A TCP port free on 127.0.0.1 now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw LineClient.Failure(description: "no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
