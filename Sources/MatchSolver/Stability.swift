import Foundation
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

    /// The blocking-pair test of `instance`; its ranked pairs are listed once per instance.
    public init(_ instance: MatchInstance) {
        self.instance = instance
        rankedPairs = instance.rankedPairCache.pairs { Self.rankedPairs(of: instance) }
    }

    /// Every eligible pair ranked both ways, by mentee then mentor.
    static func rankedPairs(of instance: MatchInstance) -> [RankedPair] {
        var out: [RankedPair] = []
        for (key, menteeRank) in instance.preferenceRank {
            let from = Int(key >> 32), to = Int(key & 0xFFFF_FFFF)
            guard let es = instance.menteeSlot[from], let ms = instance.mentorSlot[to],
                let mentorRank = instance.preferenceRank[MatchInstance.pairKey(to, from)],
                instance.isEligible(mentor: ms, mentee: es)
            else { continue }
            out.append(RankedPair(mentor: ms, mentee: es, menteeRank: menteeRank, mentorRank: mentorRank))
        }
        return out.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
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

    /// A cohort without blocking pairs reached from `pairs` by satisfying one blocking pair at a
    /// time — the pair joins, and the mentee's and the mentor's least preferred partners make room
    /// where they are full — in a seeded random order (Roth and Vande Vate's random paths to
    /// stability). Locked pairs never leave. A heuristic start for the exact model: `nil` when a
    /// blocking pair could only be satisfied by dropping a lock, or after `maxSteps`.
    public func stabilized(
        _ pairs: [(mentor: Int, mentee: Int)], locked lockedPairs: [(mentor: Int, mentee: Int)], maxSteps: Int? = nil
    ) -> [(mentor: Int, mentee: Int)]? {
        let locked = Set(lockedPairs.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        var cohort = pairs
        var rng = UInt64(0x9E37_79B9_7F4A_7C15)
        let limit = maxSteps ?? 50 * max(1, rankedPairs.count)
        for _ in 0..<limit {
            let blocking = blockingPairs(cohort.map { ($0.mentor, $0.mentee) })
            guard !blocking.isEmpty else { return cohort }
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let b = blocking[Int((rng >> 33) % UInt64(blocking.count))]
            // The mentee's side: its mentors (of the pair's tier, with tiers) against its limit.
            var held = cohort.filter { $0.mentee == b.mentee }.map(\.mentor)
            var menteeLimit = instance.menteeLimit[b.mentee]
            if instance.hasTiers {
                let tier = instance.tier(mentor: b.mentor, mentee: b.mentee)
                held = held.filter { instance.tier(mentor: $0, mentee: b.mentee) == tier }
                menteeLimit = 1
            }
            var leaving: [(mentor: Int, mentee: Int)] = []
            if held.count >= menteeLimit {
                let candidates = held.filter { !locked.contains(MatchInstance.pairKey($0, b.mentee)) }
                guard let worst = candidates.max(by: { (menteeRank(b.mentee, of: $0) ?? Int.max) < (menteeRank(b.mentee, of: $1) ?? Int.max) })
                else { return nil }
                leaving.append((worst, b.mentee))
            }
            let taken = cohort.filter { $0.mentor == b.mentor }.map(\.mentee)
            if taken.count >= instance.capacity[b.mentor] {
                let candidates = taken.filter { !locked.contains(MatchInstance.pairKey(b.mentor, $0)) }
                guard let worst = candidates.max(by: { (mentorRank(b.mentor, of: $0) ?? Int.max) < (mentorRank(b.mentor, of: $1) ?? Int.max) })
                else { return nil }
                leaving.append((b.mentor, worst))
            }
            cohort.removeAll { p in leaving.contains { $0 == p } }
            cohort.append((b.mentor, b.mentee))
        }
        return nil
    }
}

/// The ranked pairs of one instance, listed on first use: the cohort check, the metrics, the
/// model and the explanations of a stable program all ask for them, many times over.
final class RankedPairCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: [Stability.RankedPair]?

    func pairs(_ make: () -> [Stability.RankedPair]) -> [Stability.RankedPair] {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return cached }
        let made = make()
        cached = made
        return made
    }
}
