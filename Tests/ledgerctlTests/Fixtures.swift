import Foundation
import LedgerTestSupport

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
