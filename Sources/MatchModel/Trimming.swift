import Foundation

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces and tabs,
    /// Unicode's too), as `trimmingCharacters(in: .whitespaces)` — but
    /// without a trip through Foundation when the ends are plain ASCII text,
    /// which is nearly every field of a roster.
    var trimmedWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        func plain(_ c: Unicode.Scalar) -> Bool { c.isASCII && c != " " && c != "\t" }
        if plain(first) && plain(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}
