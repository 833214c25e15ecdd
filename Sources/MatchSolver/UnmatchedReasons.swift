import Foundation
import MatchModel

/// Explains why a mentee has no mentor, in words a program owner can act on.
public struct UnmatchedReasons {
    let instance: MatchInstance
    let eligibleMentors: (Int) -> [Int]
    let pairs: [(Int, Int)]
    /// Per mentor slot: whether the cohort fills its capacity.
    let full: [Bool]
    let proven: Bool

    public init(_ instance: MatchInstance, eligibleMentors: @escaping (Int) -> [Int], pairs: [(Int, Int)], proven: Bool) {
        self.instance = instance
        self.eligibleMentors = eligibleMentors
        self.pairs = pairs
        self.proven = proven
        var load = Array(repeating: 0, count: instance.mentors.count)
        for (m, _) in pairs { load[m] += 1 }
        full = zip(load, instance.capacity).map { $0 >= $1 }
    }

    /// Reasons for mentee slot `es`.
    /// - Parameter deep: also test which rule a free mentor would break (costs a cohort check per mentor).
    public func reasons(mentee es: Int, deep: Bool = true) -> [String] {
        let people = instance.people
        let mentee = people[instance.mentees[es]]
        let rules = instance.policy.rules
        let eligible = eligibleMentors(es)
        if eligible.isEmpty {
            let total = instance.mentors.count
            guard total > 0 else { return ["the roster has no active mentors"] }
            var counts: [Ineligibility: Int] = [:]
            var inRange = 0
            for ms in instance.mentorsInLevelRange(forMentee: es) {
                inRange += 1
                if let why = instance.ineligibility(mentor: ms, mentee: es) { counts[why, default: 0] += 1 }
            }
            let gaps = instance.gapRange ?? (rules.levelGap.min...rules.levelGap.max)
            let lo = max(1, mentee.level + gaps.lowerBound), hi = min(15, mentee.level + gaps.upperBound)
            var parts: [String] = []
            let outside = total - inRange
            if outside > 0 {
                parts.append("\(outside) are outside the level gap (a level-\(mentee.level) mentee needs a mentor at level \(lo)–\(hi))")
            }
            for why in Ineligibility.allCases {
                guard let c = counts[why], c > 0 else { continue }
                switch why {
                case .timezoneGap:
                    parts.append("\(c) are more than \(Self.hours(rules.maxTimezoneGapHours ?? 0)) from \(mentee.timeZone)")
                case .noSharedLanguage:
                    parts.append("\(c) share no language (\(mentee.languages.joined(separator: ", ")))")
                default:
                    parts.append("\(c) \(why.phrase(count: c))")
                }
            }
            return ["no eligible mentor: of \(total) mentor\(total == 1 ? "" : "s"), " + parts.joined(separator: ", ")]
        }
        // Counted in one pass (an unmatched mentee of a 100k roster has thousands of eligible mentors).
        let fullCount = full.withUnsafeBufferPointer { full in eligible.reduce(0) { $0 + (full[$1] ? 1 : 0) } }
        let freeCount = eligible.count - fullCount
        var out: [String] = []
        let n = eligible.count
        if freeCount == 0 {
            out.append(
                n == 1 ? "the one eligible mentor is full" : (n == 2 ? "both eligible mentors are full" : "all \(n) eligible mentors are full"))
            if instance.decisions.onlyMatch != nil {
                // A re-match keeps every other pair as it is: nobody else can be moved.
                return out + ["their places are held by the pairs this re-match keeps"]
            }
            return out + [
                proven
                    ? "a place for this mentee would unmatch someone else or lower the total fit"
                    : "the solve stopped before proving this is best"
            ]
        }
        if fullCount > 0 { out.append("\(fullCount) of \(n) eligible mentors are full") }
        if deep {
            var broken: [String: Int] = [:]
            for ms in eligible.lazy.filter({ !full[$0] }).prefix(8) {
                let v = CohortCheck.violations(instance, pairs: pairs + [(ms, es)])
                for rule in Set(v.map(Self.ruleName)) { broken[rule, default: 0] += 1 }
            }
            let checked = min(freeCount, 8)
            if !broken.isEmpty {
                let list = broken.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) of \(checked))" }
                out.append(
                    "\(freeCount) eligible mentor\(freeCount == 1 ? " has" : "s have") room, but matching would break " + list.joined(separator: ", ")
                )
                return out
            }
        }
        out.append(
            proven
                ? "\(freeCount) eligible mentor\(freeCount == 1 ? " has" : "s have") room, but no such pair keeps every rule"
                : "not matched when the solve stopped; \(freeCount) eligible mentor\(freeCount == 1 ? " has" : "s have") room")
        return out
    }

    private static func ruleName(_ violation: String) -> String {
        if violation.hasPrefix("group_access") {
            let parts = violation.split(separator: " ")
            return parts.count > 1 ? "equity.group_access (\(parts[1]))" : "equity.group_access"
        }
        if violation.hasPrefix("department_access") { return "equity.department_access" }
        if violation.hasPrefix("location_reach") { return "equity.location_reach" }
        if violation.hasPrefix("a mentor has") { return "equity.max_same_department_per_mentor" }
        if violation.hasPrefix("mentee") { return "rules.mentors_per_mentee" }
        if violation.hasPrefix("mentor") { return "mentor capacity" }
        return violation
    }

    static func hours(_ h: Double) -> String {
        h == h.rounded() ? "\(Int(h)) h" : String(format: "%.1f h", h)
    }
}
