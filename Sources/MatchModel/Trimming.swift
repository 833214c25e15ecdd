import Foundation

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces and tabs,
    /// Unicode's too), as `trimmingCharacters(in: .whitespaces)` — but
    /// without a trip through Foundation when the ends are plain ASCII text,
    /// which is nearly every field of a roster.
    public var trimmedWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        func plain(_ c: Unicode.Scalar) -> Bool { c.isASCII && c != " " && c != "\t" }
        if plain(first) && plain(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}

extension String {
    /// `split(separator:omittingEmptySubsequences:)` for an ASCII separator, by bytes when
    /// the text is ASCII (then bytes and characters split alike) — list cells of a roster
    /// (skills, languages, attributes) split a character at a time were a fifth of loading
    /// 123 k people.
    func splitFields(_ separator: Unicode.Scalar, omittingEmptySubsequences: Bool = true) -> [Substring] {
        precondition(separator.isASCII)
        guard utf8.allSatisfy({ $0 < 128 }) else {
            return split(separator: Character(separator), omittingEmptySubsequences: omittingEmptySubsequences)
        }
        return utf8.split(separator: UInt8(separator.value), omittingEmptySubsequences: omittingEmptySubsequences).map { Substring($0) }
    }
}
