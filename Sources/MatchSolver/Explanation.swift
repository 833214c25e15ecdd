import Foundation
import MatchModel

/// Why a mentee got the mentor they got — or none: the chosen pair's points
/// by factor, the next-best eligible alternatives and why each was not
/// chosen, every ineligible mentor grouped by the rule that excludes them,
/// and for an unmatched mentee the smallest rule changes that would admit mentors.
public struct MenteeExplanation: Sendable {
    public struct Alternative: Sendable {
        public var mentorID: String
        public var points: Int
        public var reason: String
    }

    public struct Relaxation: Sendable {
        public var change: String
        public var admits: Int
    }

    public var menteeID: String
    public var chosen: [(mentorID: String, points: Int, factors: Factors)]
    public var alternatives: [Alternative]
    /// Rule → mentor ids it excludes (each mentor under the first rule of SPEC 2 that excludes them).
    public var ineligible: [(rule: Ineligibility, mentorIDs: [String])]
    public var unmatchedReasons: [String]
    public var relaxations: [Relaxation]

    /// - Parameters:
    ///   - pairs: the cohort as (mentor slot, mentee slot).
    ///   - alternatives: how many next-best eligible mentors to explain.
    public init(
        instance: MatchInstance, mentee es: Int, pairs: [(Int, Int)], eligibleMentors: [Int],
        unmatchedReasons: [String], proven: Bool, alternatives limit: Int = 5
    ) {
        let people = instance.people
        menteeID = people[instance.mentees[es]].id
        let mine = pairs.filter { $0.1 == es }.map(\.0)
        chosen = mine.map { ms in
            let f = instance.factors(mentor: ms, mentee: es)
            return (people[instance.mentors[ms]].id, f.points(instance.policy), f)
        }
        alternatives = Self.alternatives(
            instance, mentee: es, pairs: pairs, mine: mine, worstChosen: chosen.map(\.points).min(),
            eligibleMentors: eligibleMentors, proven: proven, limit: limit)
        // Every ineligible mentor, grouped by the first rule that excludes them.
        var groups: [Ineligibility: [String]] = [:]
        var onlyBlocker: [Ineligibility: [Int]] = [:]
        for ms in instance.mentors.indices where !eligibleMentors.contains(ms) {
            let all = instance.allIneligibilities(mentor: ms, mentee: es)
            guard let first = all.first else { continue }
            groups[first, default: []].append(people[instance.mentors[ms]].id)
            if all.count == 1 { onlyBlocker[first, default: []].append(ms) }
        }
        ineligible = Ineligibility.allCases.compactMap { r in groups[r].map { (r, $0.sorted()) } }
        self.unmatchedReasons = unmatchedReasons
        relaxations = Self.relaxations(instance, mentee: es, onlyBlocker: onlyBlocker)
    }

    /// The next-best eligible mentors not chosen, each with why not: full, a rule the cohort would
    /// break with them, fewer points, or a tie.
    private static func alternatives(
        _ instance: MatchInstance, mentee es: Int, pairs: [(Int, Int)], mine: [Int], worstChosen: Int?,
        eligibleMentors: [Int], proven: Bool, limit: Int
    ) -> [Alternative] {
        var load = Array(repeating: 0, count: instance.mentors.count)
        for (m, _) in pairs { load[m] += 1 }
        let others = eligibleMentors.filter { !mine.contains($0) }
            .map { ($0, instance.points(mentor: $0, mentee: es)) }
            .sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }
        return others.prefix(limit).map { ms, p in
            let id = instance.people[instance.mentors[ms]].id
            if load[ms] >= instance.capacity[ms] {
                let more = worstChosen.map { p > $0 ? "; \(p - $0) more points, but giving a place to this mentee costs more elsewhere" : "" } ?? ""
                return Alternative(mentorID: id, points: p, reason: "full (\(load[ms]) of \(instance.capacity[ms]) places taken)" + more)
            }
            // The cohort with this mentor instead of the current one (or in addition).
            var swapped = pairs
            if let current = mine.first, mine.count >= instance.menteeLimit[es] {
                swapped.removeAll { $0 == (current, es) }
            }
            swapped.append((ms, es))
            let broken = CohortCheck.violations(instance, pairs: swapped)
            let reason: String
            if !broken.isEmpty {
                reason = "has room, but the cohort would break " + broken.prefix(2).joined(separator: "; ")
            } else if let w = worstChosen, p < w {
                reason = "\(w - p) points fewer"
            } else if let w = worstChosen, p == w {
                reason = "as many points (\(p)); the tie went the other way"
            } else {
                reason =
                    proven
                    ? "has room and no rule against it (this contradicts a proven optimum: please report it)"
                    : "has room and more points: the solve stopped before proving the cohort optimal"
            }
            return Alternative(mentorID: id, points: p, reason: reason)
        }
    }

    /// Smallest changes that would admit mentors excluded by one rule alone.
    private static func relaxations(_ instance: MatchInstance, mentee es: Int, onlyBlocker: [Ineligibility: [Int]]) -> [Relaxation] {
        let people = instance.people
        var relax: [Relaxation] = []
        let mentee = people[instance.mentees[es]]
        let rules = instance.policy.rules
        if let tz = onlyBlocker[.timezoneGap], !tz.isEmpty {
            let gaps = tz.map { instance.timezoneGap(instance.mentors[$0], instance.mentees[es]) }.sorted()
            let need = gaps[0]
            let admitted = gaps.filter { $0 <= need }.count
            relax.append(
                Relaxation(
                    change:
                        "a \(UnmatchedReasons.hours(need.rounded(.up))) time-zone limit (now \(UnmatchedReasons.hours(rules.maxTimezoneGapHours ?? 0)))",
                    admits: admitted))
        }
        if let lang = onlyBlocker[.noSharedLanguage], !lang.isEmpty {
            relax.append(Relaxation(change: "shared_language: false", admits: lang.count))
        }
        if let lv = onlyBlocker[.levelGap], !lv.isEmpty {
            let gaps = lv.map { people[instance.mentors[$0]].level - mentee.level }
            let above = gaps.filter { $0 > rules.levelGap.max }, below = gaps.filter { $0 < rules.levelGap.min }
            if let g = above.min() {
                relax.append(Relaxation(change: "level_gap.max \(g) (now \(rules.levelGap.max))", admits: above.filter { $0 <= g }.count))
            }
            if let g = below.max() {
                relax.append(Relaxation(change: "level_gap.min \(g) (now \(rules.levelGap.min))", admits: below.filter { $0 >= g }.count))
            }
        }
        if let el = onlyBlocker[.mentorEligibility], !el.isEmpty {
            relax.append(Relaxation(change: "lower mentor_eligibility minimums", admits: el.count))
        }
        if let h = onlyBlocker[.earlierPair], !h.isEmpty {
            relax.append(Relaxation(change: "no_repeat_pairs: false", admits: h.count))
        }
        return relax
    }
}
