import MatchModel

/// Blocking pairs under SPEC 9.5: an eligible pair outside the cohort, ranked both
/// ways, whose mentee would take the mentor (a free place, or a mentor it ranks
/// worse) and whose mentor would take the mentee (a free place, or a mentee it
/// ranks worse). With tiers, the mentee's side is its mentor in the pair's tier.
public struct Stability: Sendable {
    /// An eligible pair both sides ranked: the only pairs that can block.
    public struct RankedPair: Sendable {
        public let mentor: Int
        public let mentee: Int
        /// The mentee's rank of the mentor, and the mentor's of the mentee (1 is best).
        public let menteeRank: Int
        public let mentorRank: Int
    }

    public let instance: MatchInstance
    /// Every eligible pair ranked both ways, by mentee then mentor.
    public let rankedPairs: [RankedPair]

    public init(_ instance: MatchInstance) {
        self.instance = instance
        var out: [RankedPair] = []
        for (key, menteeRank) in instance.preferenceRank {
            let from = Int(key >> 32), to = Int(key & 0xFFFF_FFFF)
            guard let es = instance.menteeSlot[from], let ms = instance.mentorSlot[to],
                let mentorRank = instance.preferenceRank[MatchInstance.pairKey(to, from)],
                instance.isEligible(mentor: ms, mentee: es)
            else { continue }
            out.append(RankedPair(mentor: ms, mentee: es, menteeRank: menteeRank, mentorRank: mentorRank))
        }
        rankedPairs = out.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
    }

    /// The mentee's rank of a mentor (`nil`: not ranked), and the mentor's of a mentee.
    public func menteeRank(_ es: Int, of ms: Int) -> Int? {
        instance.preferenceRank[MatchInstance.pairKey(instance.mentees[es], instance.mentors[ms])]
    }

    public func mentorRank(_ ms: Int, of es: Int) -> Int? {
        instance.preferenceRank[MatchInstance.pairKey(instance.mentors[ms], instance.mentees[es])]
    }

    /// Whether the mentee, holding `mentors`, prefers mentor `rank` to one of them: someone it ranks worse or not at all.
    static func prefers(_ rank: Int, toOneOf held: [Int?]) -> Bool {
        held.contains { ($0 ?? Int.max) > rank }
    }

    /// The blocking pairs of a cohort of (mentor slot, mentee slot) pairs.
    public func blockingPairs(_ pairs: [(Int, Int)]) -> [(mentor: Int, mentee: Int)] {
        guard !rankedPairs.isEmpty else { return [] }
        var mentorsOf: [Int: [Int]] = [:], menteesOf: [Int: [Int]] = [:]
        var chosen = Set<UInt64>()
        for (m, e) in pairs {
            mentorsOf[e, default: []].append(m)
            menteesOf[m, default: []].append(e)
            chosen.insert(MatchInstance.pairKey(m, e))
        }
        var out: [(mentor: Int, mentee: Int)] = []
        for p in rankedPairs where !chosen.contains(MatchInstance.pairKey(p.mentor, p.mentee)) {
            var held = mentorsOf[p.mentee] ?? []
            var limit = instance.menteeLimit[p.mentee]
            if instance.hasTiers {
                let tier = instance.tier(mentor: p.mentor, mentee: p.mentee)
                held = held.filter { instance.tier(mentor: $0, mentee: p.mentee) == tier }
                limit = 1
            }
            let menteeWants = held.count < limit || Self.prefers(p.menteeRank, toOneOf: held.map { menteeRank(p.mentee, of: $0) })
            guard menteeWants else { continue }
            let taken = menteesOf[p.mentor] ?? []
            let mentorWants =
                taken.count < instance.capacity[p.mentor] || Self.prefers(p.mentorRank, toOneOf: taken.map { mentorRank(p.mentor, of: $0) })
            if mentorWants { out.append((p.mentor, p.mentee)) }
        }
        return out
    }
}
