/// Text for HTML documents. Both escapes work on Unicode scalars, not characters: a combining or prepended scalar
/// must not hide a `<` inside a grapheme cluster.
enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references, safe in element content and quoted attributes.
    static func escape(_ text: String) -> String {
        replacing(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"], in: text)
    }

    /// JSON text made safe as the content of a `<script>` element: every `<`, `>` and `&` as a `\u` escape, which
    /// JSON reads back as the same character (they only ever occur inside its strings).
    static func scriptSafe(json: String) -> String {
        replacing(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"], in: json)
    }

    private static func replacing(_ replacements: [Unicode.Scalar: String], in text: String) -> String {
        var replaced = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replacement = replacements[scalar] {
                replaced.append(contentsOf: replacement.unicodeScalars)
            } else {
                replaced.append(scalar)
            }
        }
        return String(replaced)
    }
}
