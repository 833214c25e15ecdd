/// Languages are compared as written (SPEC 1.1), so "English" and "en" are two
/// languages: a roster that mixes names and codes quietly loses eligible pairs.
/// This finds values that are not short codes and says so, once per value.
enum LanguageCodes {
    /// Common names people write instead of a code, with the code meant.
    static let commonNames: [String: String] = [
        "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr",
        "spanish": "es", "español": "es", "espanol": "es", "italian": "it", "italiano": "it",
        "portuguese": "pt", "português": "pt", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl",
        "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi", "czech": "cs", "greek": "el",
        "turkish": "tr", "russian": "ru", "ukrainian": "uk", "arabic": "ar", "hebrew": "he", "hindi": "hi",
        "bengali": "bn", "urdu": "ur", "tamil": "ta", "chinese": "zh", "mandarin": "zh", "cantonese": "yue",
        "japanese": "ja", "korean": "ko", "vietnamese": "vi", "thai": "th", "indonesian": "id", "malay": "ms",
        "tagalog": "tl", "filipino": "fil", "swahili": "sw", "romanian": "ro", "hungarian": "hu"
    ]

    /// A two- or three-letter code, optionally with subtags (`pt-br`, `zh-hant`).
    static func isCode(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }

    /// One warning per value that is not a code, at its first use, with how many people wrote it.
    struct Survey {
        private var seen: [String: (location: SourceLocation, count: Int)] = [:]
        private var order: [String] = []
        private var checked: Set<String> = []

        mutating func note(_ value: String, at location: SourceLocation) {
            if checked.contains(value) { return }
            if LanguageCodes.isCode(value) {
                checked.insert(value)
                return
            }
            if let s = seen[value] {
                seen[value] = (s.location, s.count + 1)
                return
            }
            seen[value] = (location, 1)
            order.append(value)
        }

        func warnings(_ d: inout Diagnostics) {
            for value in order {
                let (location, count) = seen[value]!
                let people = count == 1 ? "1 person" : "\(count) people"
                if let code = LanguageCodes.commonNames[value] {
                    d.warning(
                        location,
                        "language '\(value)' (\(people)) is a name, not a code; languages are compared as written, so it does not match '\(code)' — write \(code)"
                    )
                } else {
                    d.warning(
                        location,
                        "language '\(value)' (\(people)) is not a language code such as en or pt-br; languages are compared as written, so a misspelling removes pairs"
                    )
                }
            }
        }
    }
}
