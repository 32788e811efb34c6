import Foundation
import LedgerJSON

extension ServerConfiguration {
    /// The `log.format` a configuration file asks for, read on its own: how to report that the file (or anything
    /// else at start-up) is wrong, when the whole file cannot be applied.
    /// - Returns: nil when the file cannot be read or parsed or has no valid `log.format`.
    public static func logFormat(inFile path: String) -> LogFormat? {
        guard let contents = FileManager.default.contents(atPath: path),
            let root = try? JSONParser.parse(Array(contents)),
            let value = root["log"]?["format"]?.stringValue
        else { return nil }
        return LogFormat(rawValue: value)
    }
}
