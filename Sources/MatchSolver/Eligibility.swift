import MatchModel

/// Why a (mentor, mentee) pair may not be matched, in the order of SPEC 2.
public enum Ineligibility: Int, Sendable, CaseIterable, Comparable {
    case samePerson
    case mentorEligibility
    case noSharedLanguage
    case timezoneGap
    case levelGap
    case managementChain
    case declaredConflict
    case earlierPair
    case rejectedInReview
    case belowFloor
    case keptAsIs

    public static func < (a: Ineligibility, b: Ineligibility) -> Bool { a.rawValue < b.rawValue }

    /// The label for a count: singular for one ("1 shares no language").
    public func phrase(count: Int) -> String { count == 1 ? singular : phrase }

    var singular: String {
        switch self {
        case .samePerson: "is the mentee themself"
        case .mentorEligibility: "misses the mentor tenure/rating minimum"
        case .noSharedLanguage: "shares no language"
        case .timezoneGap: "is too many hours away"
        case .levelGap: "is outside the level gap"
        case .managementChain: "is in the management chain"
        case .declaredConflict: "has a declared conflict"
        case .earlierPair: "was paired before"
        case .rejectedInReview: "was rejected in review"
        case .belowFloor: "scores below rules.min_pair_points"
        case .keptAsIs: "is outside this re-match (other mentees keep their pairs)"
        }
    }

    /// A short label for counts ("9 share no language").
    public var phrase: String {
        switch self {
        case .samePerson: "are the mentee themself"
        case .mentorEligibility: "miss the mentor tenure/rating minimum"
        case .noSharedLanguage: "share no language"
        case .timezoneGap: "are too many hours away"
        case .levelGap: "are outside the level gap"
        case .managementChain: "are in the management chain"
        case .declaredConflict: "have a declared conflict"
        case .earlierPair: "were paired before"
        case .rejectedInReview: "were rejected in review"
        case .belowFloor: "score below rules.min_pair_points"
        case .keptAsIs: "are outside this re-match (other mentees keep their pairs)"
        }
    }
}

extension MatchInstance {
    /// The first rule of SPEC 2 that makes (mentor slot, mentee slot) ineligible, or `nil` when eligible.
    ///
    /// Role and opt-out (rule 1) are settled by slot membership.
    public func ineligibility(mentor ms: Int, mentee es: Int) -> Ineligibility? {
        var none: [Ineligibility] = []
        return evaluate(mentor: ms, mentee: es, firstOnly: true, into: &none)
    }

    /// Every rule of SPEC 2 that excludes (mentor slot, mentee slot), each checked on its own.
    public func allIneligibilities(mentor ms: Int, mentee es: Int) -> [Ineligibility] {
        var all: [Ineligibility] = []
        _ = evaluate(mentor: ms, mentee: es, firstOnly: false, into: &all)
        return all
    }

    /// The one list of rules: returns the first failing rule when `firstOnly`
    /// (the hot path: no allocation), else collects every failing rule.
    @inline(__always)
    private func evaluate(mentor ms: Int, mentee es: Int, firstOnly: Bool, into out: inout [Ineligibility]) -> Ineligibility? {
        let m = mentors[ms], e = mentees[es]
        let rules = policy.rules
        func fails(_ r: Ineligibility) -> Bool {
            if firstOnly { return true }
            out.append(r)
            return false
        }
        // The level gap decides the tier, whose mentor eligibility applies (SPEC 9.4).
        let gap = people[m].level - people[e].level
        let tier = tierIndex(gap: gap)
        if m == e, fails(.samePerson) { return .samePerson }
        if !(tier.map { passesTierEligibility[$0][m] } ?? passesMentorEligibility[m]), fails(.mentorEligibility) { return .mentorEligibility }
        if rules.sharedLanguage && !shareLanguage(m, e), fails(.noSharedLanguage) { return .noSharedLanguage }
        if let limit = rules.maxTimezoneGapHours, timezoneGap(m, e) > limit, fails(.timezoneGap) { return .timezoneGap }
        if tier == nil, fails(.levelGap) { return .levelGap }
        if rules.excludeManagementChain && (isAncestor(m, of: e) || isAncestor(e, of: m)), fails(.managementChain) { return .managementChain }
        let k = MatchInstance.pairKey(m, e)
        if excluded.contains(k), fails(.declaredConflict) { return .declaredConflict }
        if rules.noRepeatPairs && pastPairs.contains(k), fails(.earlierPair) { return .earlierPair }
        if rejected.contains(k), fails(.rejectedInReview) { return .rejectedInReview }
        if rules.minPairPoints > 0, points(mentor: ms, mentee: es) < rules.minPairPoints, fails(.belowFloor) { return .belowFloor }
        if let only = frozenMentees, only[e], !lockedPairKeys.contains(k), fails(.keptAsIs) { return .keptAsIs }
        return nil
    }

    public func isEligible(mentor ms: Int, mentee es: Int) -> Bool {
        ineligibility(mentor: ms, mentee: es) == nil
    }

    /// Mentor slots whose level fits the level gap for this mentee: the only
    /// mentors worth checking further.
    func mentorsInLevelRange(forMentee es: Int) -> some Sequence<Int> {
        let level = people[mentees[es]].level
        guard let gaps = gapRange else { return [Int]().lazy.flatMap { self.mentorsByLevel[$0] } }
        let lo = max(1, level + gaps.lowerBound)
        let hi = min(15, level + gaps.upperBound)
        return (lo <= hi ? Array(lo...hi) : []).lazy.flatMap { self.mentorsByLevel[$0] }
    }
}
