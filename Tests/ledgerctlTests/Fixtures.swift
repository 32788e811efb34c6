import Foundation

/// A fixed, valid v7-shaped UUID for event `index`.
func uuid(_ index: Int) -> String {
    "0190f3a0-7c1e-7d2a-9b3c-\(String(format: "%012x", index))"
}

/// One NDJSON event line with the id for `index`.
func eventLine(_ index: Int, type: String = "x-t", data: String = "{}") -> String {
    #"{"id":"\#(uuid(index))","type":"\#(type)","data":\#(data)}"#
}

/// Writes `text` to a new file in `directory` (readable by everyone) and returns its path.
func writeFile(_ text: String, named name: String, in directory: String) throws -> String {
    let path = (directory as NSString).appendingPathComponent(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o644)
    return path
}
