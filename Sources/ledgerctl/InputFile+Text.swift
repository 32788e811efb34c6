extension InputFile {
    /// The whole of a small text file (a checkpoint, a key), at most `limit` bytes.
    /// - Throws: a usage failure when it cannot be read or is larger.
    static func text(of path: String, limit: Int = 1 << 20) throws(CommandFailure) -> String {
        let file = try InputFile(path: path)
        var bytes = [UInt8]()
        while try file.read(into: &bytes) {
            guard bytes.count <= limit else { throw .usage("\(path) is larger than \(limit) bytes") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
