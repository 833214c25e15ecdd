/// The known words closest to one given, for "did you mean" lists of ids.
public enum NearestWords {
    /// Up to `count` of `candidates` nearest to `word` by edit distance (ties in the given order),
    /// only those within half the word's length — far ones help nobody.
    public static func nearest(to word: String, in candidates: [String], count: Int) -> [String] {
        let length = word.count
        let limit = max(1, length / 2)
        var scored: [(word: String, distance: Int, order: Int)] = []
        for (i, c) in candidates.enumerated() {
            guard abs(c.count - length) <= limit else { continue }
            let d = DidYouMean.distance(word, c)
            if d <= limit { scored.append((c, d, i)) }
        }
        scored.sort { ($0.distance, $0.order) < ($1.distance, $1.order) }
        return scored.prefix(count).map(\.word)
    }
}
