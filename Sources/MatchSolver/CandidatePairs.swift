import MatchModel

/// Every eligible pair with its points, grouped by mentee (CSR layout).
///
/// Only pairs that pass the level-gap filter are examined at all, and only
/// eligible ones are stored: no work is materialised per ineligible pair
/// beyond the checks that reject it.
public struct CandidatePairs: Sendable {
    /// Pair `k` is (mentor[k], mentee[k]) with points[k].
    public private(set) var mentor: [Int32] = []
    public private(set) var mentee: [Int32] = []
    public private(set) var points: [Int32] = []
    /// Pairs of mentee slot `e` are `start[e] ..< start[e + 1]`.
    public private(set) var start: [Int] = [0]

    public var count: Int { mentor.count }

    public init(_ instance: MatchInstance) {
        self.init(PairScanner(instance))
    }

    /// Every eligible pair, scanned on every core.
    public init(_ scanner: PairScanner) {
        let parts = scanner.scan { range, scratch in
            var mentor: [Int32] = [], points: [Int32] = [], counts: [Int] = []
            for es in range {
                var n = 0
                scanner.forEachEligible(mentee: es, scratch: &scratch) { ms, p in
                    mentor.append(Int32(ms))
                    points.append(Int32(p))
                    n += 1
                }
                counts.append(n)
            }
            return (range: range, mentor: mentor, points: points, counts: counts)
        }
        let total = parts.reduce(0) { $0 + $1.mentor.count }
        mentor.reserveCapacity(total)
        mentee.reserveCapacity(total)
        points.reserveCapacity(total)
        start.reserveCapacity(scanner.instance.mentees.count + 1)
        for part in parts {
            // The scanner reports a mentee's mentors in index order, not slot order: sort each mentee's pairs.
            var offset = 0
            for (i, es) in part.range.enumerated() {
                let n = part.counts[i]
                let pairs = (offset..<(offset + n)).map { (part.mentor[$0], part.points[$0]) }.sorted { $0.0 < $1.0 }
                for (m, p) in pairs {
                    mentor.append(m)
                    mentee.append(Int32(es))
                    points.append(p)
                }
                offset += n
                start.append(mentor.count)
            }
        }
    }

    /// Only the given eligible pairs (a reduced model), grouped by mentee and ordered by mentor.
    public init(_ instance: MatchInstance, only pairs: [(mentor: Int, mentee: Int)]) {
        var byMentee = Array(repeating: [Int](), count: instance.mentees.count)
        for p in pairs { byMentee[p.mentee].append(p.mentor) }
        for (es, list) in byMentee.enumerated() {
            for ms in Set(list).sorted() {
                mentor.append(Int32(ms))
                mentee.append(Int32(es))
                points.append(Int32(instance.points(mentor: ms, mentee: es)))
            }
            start.append(mentor.count)
        }
    }

    /// The pair index of (mentor slot, mentee slot), if eligible.
    public func index(mentor ms: Int, mentee es: Int) -> Int? {
        for k in start[es]..<start[es + 1] where Int(mentor[k]) == ms { return k }
        return nil
    }

    public func pairs(ofMentee es: Int) -> Range<Int> { start[es]..<start[es + 1] }
}
