extension JSONParser {
    /// Bounds on what the parser accepts.
    public struct Limits: Sendable {
        /// The deepest nesting of arrays and objects; 0 allows only scalars. The parser recurses once per level, so
        /// keep this modest (the default is 64).
        public var maxDepth: Int
        /// The longest number literal, in bytes.
        public var maxNumberLength: Int
        /// The longest string (or object key) after unescaping, in UTF-8 bytes.
        public var maxStringBytes: Int

        /// Limits with the given bounds.
        public init(maxDepth: Int = 64, maxNumberLength: Int = 64, maxStringBytes: Int = 1 << 20) {
            self.maxDepth = maxDepth
            self.maxNumberLength = maxNumberLength
            self.maxStringBytes = maxStringBytes
        }

        /// Depth 64, numbers up to 64 bytes, strings up to 1 MiB.
        public static let `default` = Limits()
    }
}
