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
        for es in instance.mentees.indices {
            for ms in instance.mentorsInLevelRange(forMentee: es) where instance.isEligible(mentor: ms, mentee: es) {
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
