import LedgerJSON

/// The error parsing `text` throws, or nil when it parses.
func parseError(_ text: String, limits: JSONParser.Limits = .default) -> JSONError? {
    do {
        _ = try JSONParser.parse(text, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `bytes` throws, or nil when it parses.
func parseError(_ bytes: [UInt8], limits: JSONParser.Limits = .default) -> JSONError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}
