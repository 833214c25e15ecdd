import MatchModel

/// Checks a set of pairs against every rule of SPEC 2 and 4 directly from the
/// domain definitions — independent of the formulation — and computes the
/// objective values. The solver runs it on every answer before reporting it.
public struct CohortCheck: Sendable {
    public struct Objective: Sendable, Equatable, Comparable {
        public var coverage: Int
        public var matchedMentees: Int
        public var totalPoints: Int
        public var minPoints: Int
        /// Mentors with at least one mentee.
        public var mentorsUsed: Int

        public init(coverage: Int, matchedMentees: Int, totalPoints: Int, minPoints: Int, mentorsUsed: Int = 0) {
            self.coverage = coverage
            self.matchedMentees = matchedMentees
            self.totalPoints = totalPoints
            self.minPoints = minPoints
            self.mentorsUsed = mentorsUsed
        }

        public static func < (a: Objective, b: Objective) -> Bool {
            (a.coverage, a.totalPoints) < (b.coverage, b.totalPoints)
        }

        /// The value of one stage.
        public func value(_ stage: ObjectiveStage) -> Int {
            switch stage {
            case .coverage: coverage
            case .mentorsUsed: mentorsUsed
            case .minPoints: minPoints
            case .totalPoints: totalPoints
            }
        }

        /// Whether `self` is lexicographically better than `other` under `objective`.
        public func isBetter(than other: Objective, under objective: MatchModel.Objective) -> Bool {
            for stage in objective.stages where value(stage) != other.value(stage) { return value(stage) > other.value(stage) }
            return false
        }

        public func sameValue(as other: Objective, under objective: MatchModel.Objective) -> Bool {
            objective.stages.allSatisfy { value($0) == other.value($0) }
        }
    }

    /// Pairs are (mentor slot, mentee slot).
    public static func objective(_ instance: MatchInstance, pairs: [(Int, Int)]) -> Objective {
        var matched = Set<Int>()
        var used = Set<Int>()
        var total = 0
        var minimum = Int.max
        for (m, e) in pairs {
            matched.insert(e)
            used.insert(m)
            let p = instance.points(mentor: m, mentee: e)
            total += p
            minimum = min(minimum, p)
        }
        let coverage = matched.reduce(0) { $0 + instance.people[instance.mentees[$1]].priority.coverageWeight }
        return Objective(
            coverage: coverage, matchedMentees: matched.count, totalPoints: total,
            minPoints: pairs.isEmpty ? 0 : minimum, mentorsUsed: used.count)
    }

    /// Every rule the pairs break, worded for people; empty when all hold.
    public static func violations(
        _ instance: MatchInstance, pairs: [(Int, Int)],
        disabled: Set<RuleFamily> = []
    ) -> [String] {
        var out: [String] = []
        let people = instance.people
        let equity = instance.policy.equity
        var seen = Set<UInt64>()
        var load = Array(repeating: 0, count: instance.mentors.count)
        var mentorsOf = Array(repeating: 0, count: instance.mentees.count)
        for (m, e) in pairs {
            let name = "\(people[instance.mentors[m]].id):\(people[instance.mentees[e]].id)"
            if !seen.insert(MatchInstance.pairKey(m, e)).inserted { out.append("pair \(name) appears twice") }
            if let why = instance.ineligibility(mentor: m, mentee: e) { out.append("pair \(name) is ineligible: \(why)") }
            load[m] += 1
            mentorsOf[e] += 1
        }
        if !disabled.contains(.mentorCapacity) {
            for (m, l) in load.enumerated() where l > instance.capacity[m] {
                out.append("mentor \(people[instance.mentors[m]].id) has \(l) mentees, capacity \(instance.capacity[m])")
            }
        }
        if !disabled.contains(.mentorsPerMentee) {
            for (e, c) in mentorsOf.enumerated() where c > instance.menteeLimit[e] {
                out.append("mentee \(people[instance.mentees[e]].id) has \(c) mentors, limit \(instance.menteeLimit[e])")
            }
            out += tierViolations(instance, pairs: pairs)
        }
        if !disabled.contains(.lockedPairs) { out += missingLocks(instance, seen: seen) }
        out += accessViolations(instance, matched: mentorsOf.map { $0 > 0 }, disabled: disabled)
        if instance.policy.rules.stable, !disabled.contains(.stability) {
            let blocking = Stability(instance).blockingPairs(pairs)
            if !blocking.isEmpty {
                let names = blocking.prefix(3).map { "\(people[instance.mentors[$0.mentor]].id):\(people[instance.mentees[$0.mentee]].id)" }
                out.append("rules.stable: \(blocking.count) blocking pair\(blocking.count == 1 ? "" : "s") (\(names.joined(separator: ", ")))")
            }
        }
        if let cap = equity.maxSameDepartmentPerMentor, !disabled.contains(.maxSameDepartmentPerMentor) {
            var count: [String: Int] = [:]
            for (m, e) in pairs { count["\(m)\u{1F}\(people[instance.mentees[e]].department)", default: 0] += 1 }
            for (key, c) in count.sorted(by: { $0.key < $1.key }) where c > cap {
                out.append("a mentor has \(c) mentees from one department (\(key.split(separator: "\u{1F}").last ?? "")), limit \(cap)")
            }
        }
        if let reach = equity.locationReach, !disabled.contains(.locationReach) {
            var all = 0, outside = 0
            for (m, e) in pairs where people[instance.mentors[m]].location == reach.location {
                all += 1
                if people[instance.mentees[e]].location != reach.location { outside += 1 }
            }
            if Double(outside) - reach.minShareOutside * Double(all) < -EquityMath.shareSlack {
                out.append(
                    "location_reach: \(outside) of \(all) pairs with a mentor at \(reach.location) reach outside, below \(reach.minShareOutside)")
            }
        }
        return out
    }

    /// Mentees with two mentors in one tier.
    private static func tierViolations(_ instance: MatchInstance, pairs: [(Int, Int)]) -> [String] {
        guard instance.hasTiers else { return [] }
        var out: [String] = []
        var perTier = Set<UInt64>()
        for (m, e) in pairs {
            guard let t = instance.tier(mentor: m, mentee: e) else { continue }
            if !perTier.insert(UInt64(e) << 8 | UInt64(t)).inserted {
                out.append("mentee \(instance.people[instance.mentees[e]].id) has two mentors in tier \(instance.tiers[t].name ?? "")")
            }
        }
        return out
    }

    /// Locked pairs the cohort (its pairs as keys) leaves out.
    private static func missingLocks(_ instance: MatchInstance, seen: Set<UInt64>) -> [String] {
        instance.decisions.locked.compactMap { lock in
            guard let mi = instance.indexOfID[lock.mentorID], let ei = instance.indexOfID[lock.menteeID],
                let m = instance.mentorSlot[mi], let e = instance.menteeSlot[ei],
                seen.contains(MatchInstance.pairKey(m, e))
            else { return "locked pair \(lock) is missing" }
            return nil
        }
    }

    /// Groups, departments and level bands whose matched rate falls below the overall rate less the tolerance.
    private static func accessViolations(_ instance: MatchInstance, matched: [Bool], disabled: Set<RuleFamily>) -> [String] {
        let equity = instance.policy.equity
        let n = instance.mentees.count
        let matchedTotal = matched.filter { $0 }.count
        var out: [String] = []
        func checkAccess(_ label: String, _ groups: [(String, [Int])], _ tolerance: Double) {
            for (value, members) in groups {
                let a = members.filter { matched[$0] }.count
                if !EquityMath.meetsAccess(matchedInGroup: a, groupSize: members.count, matched: matchedTotal, mentees: n, tolerance: tolerance) {
                    out.append("\(label) '\(value)': rate \(a)/\(members.count) is below overall \(matchedTotal)/\(n) − \(tolerance)")
                }
            }
        }
        for rule in equity.groupAccess where !disabled.contains(.groupAccess(attribute: rule.attribute)) {
            checkAccess("group_access \(rule.attribute)", EquityMath.groups(instance, attribute: rule.attribute), rule.tolerance)
        }
        if let t = equity.departmentAccessTolerance, !disabled.contains(.departmentAccess) {
            checkAccess("department_access", EquityMath.departmentGroups(instance), t)
        }
        if let access = equity.levelAccess, !disabled.contains(.levelAccess) {
            checkAccess("level_access", EquityMath.levelGroups(instance, access), access.tolerance)
        }
        return out
    }
}
