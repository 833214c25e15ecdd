import MatchModel
import Optimization

/// The integer program of SPEC 4 for one stage of the lexicographic solve:
/// a pure function from the instance to a model, plus the map to decode it.
///
/// Variables: `x` for each included eligible pair, `y` for each mentee with
/// at least one included pair (`y = 1` ⇔ the mentee has a mentor).
/// Rows: the mentee link and `mentors_per_mentee`, mentor capacity, every
/// equity rule, and optionally a floor on coverage.
public struct Formulation: Sendable {
    /// What the stage maximises.
    public enum Goal: Sendable {
        /// Σ coverage weight · y.
        case coverage
        /// Σ points · x.
        case totalPoints
        /// Σ over mentors of `u` (the mentor has at least one mentee).
        case mentorsUsed
    }

    public struct Options: Sendable {
        public var goal: Goal = .coverage
        /// Add `coverage ≥ minimumCoverage`.
        public var minimumCoverage: Int?
        /// Add `mentors used ≥ minimumMentorsUsed`.
        public var minimumMentorsUsed: Int?
        /// Add `Σ x ≥ 1` (a minimum-points threshold above 0 needs a pair to mean anything).
        public var atLeastOnePair = false
        /// Write that row even when a floor implies it: the same model stated another way, which sends
        /// GLPK's search down another path (a second try at a check the first could not settle).
        public var restateAtLeastOnePair = false
        /// Only pairs with at least these points (locked pairs always stay).
        public var minimumPoints: Int?
        /// Families left out (to find conflicts or price a rule).
        public var disabled: Set<RuleFamily> = []
        /// Only these pairs get a column (locked pairs always do): column generation.
        public var allowedPairs: Set<Int>?
        /// A `y` and link rows for every mentee with an eligible pair, even with no
        /// column yet, so every pair can be priced with the rows' duals.
        public var rowsForAllMentees = false
        /// At most this many mentees are matched in any cohort keeping every rule (proven
        /// elsewhere); with the access rules it may bound the matched count far lower
        /// (``EquityMath/matchedCountLimit(mentees:rules:upTo:canMatch:mostMatched:reaches:)``).
        public var matchedCountBound: Int?
        public init() {}

        /// Holds a settled stage of the objective at the value `o` reached, in every later model.
        public mutating func hold(_ stage: ObjectiveStage, at o: CohortCheck.Objective) {
            switch stage {
            case .coverage: minimumCoverage = o.coverage
            case .mentorsUsed: minimumMentorsUsed = o.mentorsUsed
            case .minPoints:
                minimumPoints = o.minPoints
                if o.minPoints > 0 { atLeastOnePair = true }
            case .totalPoints: break
            }
        }
    }

    /// Rows each pair's column appears in, for pricing pairs left out of the model.
    public struct RowMap: Sendable {
        /// Mentee slot → link rows (coefficient +1).
        public var mentee: [Int: [Int]] = [:]
        /// Mentor slot → capacity row (coefficient +1), when present.
        public var capacity: [Int: Int] = [:]
        /// (mentor slot << 32 | mentee department id) → same-department row (coefficient +1), when present.
        public var sameDepartment: [UInt64: Int] = [:]
        /// The location-reach counts' rows, when present: coefficient +1 in `pairs` for a pair whose
        /// mentor is at the location, and in `outside` too when its mentee is elsewhere.
        public var reach: (pairs: Int, outside: Int)?
    }

    public let program: IntegerProgram
    public let rows: RowMap
    public let options: Options
    /// Pair index (into ``CandidatePairs``) of each `x` variable.
    public let pairOfVariable: [Int]
    /// Mentee slot of each `y` variable, after the `x` variables.
    public let menteeOfYVariable: [Int]
    /// Matched-count variables of the access rows (after the `y` variables): index, and the
    /// mentee slots counted (`nil`: every mentee).
    let countVariables: [(variable: Int, members: [Int]?)]
    /// The matched count in whole steps, when the access rules allow only multiples of one: index and step.
    let matchedSteps: (variable: Int, step: Int)?
    /// Pair-count variables of the location-reach row: index, and the pairs counted.
    let pairCountVariables: [(variable: Int, pairs: [Int])]
    /// Mentor-used variables: index and mentor slot.
    let usedVariables: [(variable: Int, mentor: Int)]
    /// Stability indicators: index, the pairs counted, and how many of them make it 1.
    let stabilityVariables: [(variable: Int, pairs: [Int], need: Int)]

    /// Builds the model: the rows in SPEC 4's order, then SPEC 9's (``Builder``).
    /// - Complexity: O(pairs + mentees · equity groups).
    public init(instance: MatchInstance, candidates: CandidatePairs, lockedPairs: Set<Int>, options: Options) {
        var b = Builder(instance: instance, candidates: candidates, options: options)
        b.addPairVariables(lockedPairs: lockedPairs)
        b.addMenteeVariables()
        b.addMenteeLinks()
        b.addTierRows()
        b.addCapacityRows()
        b.addCoverageFloor()
        b.addAccessRows()
        b.addSameDepartmentRows()
        b.addLocationReach()
        b.addMentorsUsed()
        b.addAtLeastOnePair()
        b.addStabilityRows()
        program = b.ip
        countVariables = b.counts
        pairCountVariables = b.pairCounts
        matchedSteps = b.matchedSteps
        usedVariables = b.used
        stabilityVariables = b.stability
        rows = b.rowMap
        self.options = options
        pairOfVariable = b.pairOfVariable
        menteeOfYVariable = b.menteeOfY
    }

    /// The variable values of a cohort given as pair indices (for a warm start);
    /// pairs this model leaves out are dropped.
    public func values(choosing pairs: [Int], candidates: CandidatePairs) -> [Double] {
        var v = [Double](repeating: 0, count: program.variables.count)
        let chosen = Set(pairs)
        var matched = Set<Int>()
        for (i, k) in pairOfVariable.enumerated() where chosen.contains(k) {
            v[i] = 1
            matched.insert(Int(candidates.mentee[k]))
        }
        for (j, es) in menteeOfYVariable.enumerated() where matched.contains(es) { v[pairOfVariable.count + j] = 1 }
        let inModel = Set(menteeOfYVariable)
        for c in countVariables {
            v[c.variable] = Double(c.members.map { $0.filter { matched.contains($0) && inModel.contains($0) }.count } ?? matched.count)
        }
        if let s = matchedSteps { v[s.variable] = Double(matched.filter(inModel.contains).count) / Double(s.step) }
        let inCohort = Set(pairOfVariable.filter { chosen.contains($0) })
        for c in pairCountVariables { v[c.variable] = Double(c.pairs.filter { inCohort.contains($0) }.count) }
        let usedMentors = Set(inCohort.map { Int(candidates.mentor[$0]) })
        for u in usedVariables where usedMentors.contains(u.mentor) { v[u.variable] = 1 }
        for s in stabilityVariables where s.pairs.filter({ inCohort.contains($0) }).count >= s.need { v[s.variable] = 1 }
        return v
    }

    /// The reduced profit of pair `k` (column in the model or not) under row
    /// duals of this model's relaxation: objective − Σ rows·duals. A pair left
    /// out can improve the relaxation only when this is positive.
    public func reducedProfit(_ k: Int, duals: [Double], instance: MatchInstance, candidates: CandidatePairs) -> Double {
        let ms = Int(candidates.mentor[k]), es = Int(candidates.mentee[k])
        var d = options.goal == .totalPoints ? Double(candidates.points[k]) : 0
        for r in rows.mentee[es] ?? [] { d -= duals[r] }
        if let r = rows.capacity[ms] { d -= duals[r] }
        if !rows.sameDepartment.isEmpty,
            let r = rows.sameDepartment[UInt64(ms) << 32 | UInt64(UInt32(instance.departmentID[instance.mentees[es]]))]
        {
            d -= duals[r]
        }
        if let r = rows.reach, let reach = instance.policy.equity.locationReach,
            instance.people[instance.mentors[ms]].location == reach.location
        {
            d -= duals[r.pairs]
            if instance.people[instance.mentees[es]].location != reach.location { d -= duals[r.outside] }
        }
        return d
    }

    /// The chosen pair indices of a solution.
    public func chosenPairs(_ values: [Double]) -> [Int] {
        pairOfVariable.indices.filter { values[$0] > 0.5 }.map { pairOfVariable[$0] }
    }
}

/// Shared arithmetic of the equity rules, so the formulation and the
/// verifier agree to the last tie.
public enum EquityMath {
    /// A share is compared with this slack: real violations are orders larger.
    public static let shareSlack = 1e-7

    /// ⌊tolerance·N·|g|⌋ with decimal ties resolved exactly (0.1·10·5 is 5).
    public static func slack(tolerance: Double, n: Int, groupSize: Int) -> Double {
        let v = tolerance * Double(n) * Double(groupSize)
        let r = v.rounded()
        return abs(v - r) < 1e-6 ? r : v.rounded(.down)
    }

    /// Whether a group meets `rate ≥ overall − tolerance`, exactly as the formulation encodes it.
    public static func meetsAccess(
        matchedInGroup a: Int, groupSize g: Int, matched A: Int, mentees n: Int,
        tolerance: Double
    ) -> Bool {
        a * n - A * g >= -Int(slack(tolerance: tolerance, n: n, groupSize: g))
    }

    /// One access rule as the model states it: its groups of mentee slots and its tolerance.
    public struct AccessRule: Sendable {
        public var label: String
        public var groups: [(String, [Int])]
        public var tolerance: Double

        /// Whether the groups hold each of the `n` mentees exactly once (sizes adding up to N over N
        /// distinct slots): only then do the groups' matched counts add up to the matched count.
        func isPartition(of n: Int) -> Bool {
            n > 0 && groups.reduce(0) { $0 + $1.1.count } == n && Set(groups.flatMap(\.1)).count == n
        }
    }

    /// The program's group, department and level access rules (those not disabled), in the model's order.
    public static func accessRules(_ instance: MatchInstance, disabled: Set<RuleFamily> = []) -> [AccessRule] {
        let equity = instance.policy.equity
        var out: [AccessRule] = []
        for rule in equity.groupAccess where !disabled.contains(.groupAccess(attribute: rule.attribute)) {
            out.append(.init(label: "group_\(rule.attribute)", groups: groups(instance, attribute: rule.attribute), tolerance: rule.tolerance))
        }
        if let tolerance = equity.departmentAccessTolerance, !disabled.contains(.departmentAccess) {
            out.append(.init(label: "department", groups: departmentGroups(instance), tolerance: tolerance))
        }
        if let access = equity.levelAccess, !disabled.contains(.levelAccess) {
            out.append(.init(label: "level", groups: levelGroups(instance, access), tolerance: access.tolerance))
        }
        return out
    }

    /// The largest number of matched mentees, at most `upTo`, that the access rules allow by
    /// counting alone. A rule whose groups hold every mentee asks each group g for at least
    /// ⌈(|g|·A − slack_g) / N⌉ of the A matched, and those counts add up to A: with tolerance 0
    /// every group's share must equal the overall one exactly, so A is a multiple of N / gcd(N, |g|)
    /// for every g — with 293 mentees (a prime), no cohort but the empty one or everyone. The
    /// relaxation cannot see this (its counts need not be whole), so a program with such a rule
    /// has a proven coverage of 0 only by this count. Groups' members without an eligible pair
    /// (`canMatch` false) cannot be matched and count as places the group lacks; with `reaches`
    /// (flows over the solve's candidate pairs, ``MatchableCount``), a count is taken only when every group
    /// can have its least share at once, for at most eight counts ruled out that way.
    /// - Complexity: O(mentees + upTo · groups), and up to nine calls of `reaches`.
    public static func matchedCountLimit(
        mentees n: Int, rules: [AccessRule], upTo: Int, canMatch: (Int) -> Bool, mostMatched: (([Int]) -> Int)? = nil,
        reaches: ((Int) -> Bool)? = nil
    ) -> Int {
        guard upTo > 0 else { return 0 }
        let allowed = allowedMatchedCounts(mentees: n, rules: rules, canMatch: canMatch, mostMatched: mostMatched)
        var a = upTo
        // Each count the flows rule out costs a flow per rule: after a few, the count not yet ruled out is the bound.
        var flowsLeft = 8
        while a > 0 {
            if allowed(a) {
                guard let reaches, flowsLeft > 0 else { break }
                if reaches(a) { break }
                flowsLeft -= 1
            }
            a -= 1
        }
        return a
    }

    /// The step every positive matched count up to `upTo` that the access rules allow by counting
    /// is a multiple of (the greatest common divisor of those counts; 1 when any two are
    /// coprime or none is allowed). At tolerance 0, 786 mentees with 252 in one group allow only
    /// multiples of 131: the model counts the matched mentees in such steps, and GLPK's branching
    /// on the step count (at most 4 steps, or 5) closes what branching on pairs approaches one
    /// mentee at a time.
    /// - Complexity: O(mentees + upTo · groups).
    public static func matchedCountStep(mentees n: Int, rules: [AccessRule], upTo: Int, canMatch: (Int) -> Bool) -> Int {
        guard upTo > 1 else { return 1 }
        let allowed = allowedMatchedCounts(mentees: n, rules: rules, canMatch: canMatch, mostMatched: nil)
        var step = 0
        for a in 1...upTo where allowed(a) {
            step = gcd(step, a)
            if step == 1 { return 1 }
        }
        return max(step, 1)
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The least each group of a rule whose groups hold every mentee must have of A matched
    /// (⌈(|g|·A − slack_g) / N⌉, at least 0); `nil` for a rule that leaves mentees out.
    static func leastPerGroup(_ rule: AccessRule, mentees n: Int, matched a: Int) -> [Int]? {
        guard rule.isPartition(of: n) else { return nil }
        return rule.groups.map { g in
            leastShare(groupSize: g.1.count, matched: a, slack: Int(slack(tolerance: rule.tolerance, n: n, groupSize: g.1.count)), mentees: n)
        }
    }

    /// a_g · N ≥ |g| · A − slack with a_g whole: a_g ≥ ⌈(|g| · A − slack) / N⌉ (and ≥ 0).
    private static func leastShare(groupSize g: Int, matched a: Int, slack: Int, mentees n: Int) -> Int {
        let need = g * a - slack
        return need <= 0 ? 0 : (need + n - 1) / n
    }

    /// Whether A matched mentees can meet every access rule whose groups hold every mentee, by
    /// counting alone (``matchedCountLimit(mentees:rules:upTo:canMatch:mostMatched:reaches:)``). A group
    /// offers at most its members that can be matched (`canMatch`), and at most `mostMatched` of
    /// them at once when given (a flow over the solve's candidate pairs: ``MatchableCount``).
    private static func allowedMatchedCounts(
        mentees n: Int, rules: [AccessRule], canMatch: (Int) -> Bool, mostMatched: (([Int]) -> Int)?
    ) -> (Int) -> Bool {
        let partitions = rules.filter { $0.isPartition(of: n) }
        guard !partitions.isEmpty else { return { _ in true } }
        let sized = partitions.map { rule in
            rule.groups.map { g in
                (
                    size: g.1.count, open: min(g.1.filter(canMatch).count, mostMatched?(g.1) ?? .max),
                    slack: Int(slack(tolerance: rule.tolerance, n: n, groupSize: g.1.count))
                )
            }
        }
        // Every partition holds every mentee: no more are matched than any one of them allows.
        let matchable = sized.map { $0.reduce(0) { $0 + $1.open } }.min() ?? 0
        return { a in
            a <= matchable
                && sized.allSatisfy { groups in
                    var least = 0
                    for g in groups {
                        let atLeast = leastShare(groupSize: g.size, matched: a, slack: g.slack, mentees: n)
                        if atLeast > g.open { return false }
                        least += atLeast
                    }
                    return least <= a
                }
        }
    }

    /// Mentee slots by value of an attribute (mentees without it are in no group).
    public static func groups(_ instance: MatchInstance, attribute: String) -> [(String, [Int])] {
        var out: [String: [Int]] = [:]
        for (es, p) in instance.mentees.enumerated() {
            if let v = instance.people[p].attributes[attribute] { out[v, default: []].append(es) }
        }
        return out.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Mentee slots by level band (SPEC 9.7); a mentee in no band is in no group. Groups are named by their band.
    public static func levelGroups(_ instance: MatchInstance, _ access: Equity.LevelAccess) -> [(String, [Int])] {
        access.bands.map { band in
            ("\(band.lowerBound)-\(band.upperBound)", instance.mentees.indices.filter { band.contains(instance.people[instance.mentees[$0]].level) })
        }.filter { !$0.1.isEmpty }
    }

    /// Mentee slots by department.
    public static func departmentGroups(_ instance: MatchInstance) -> [(String, [Int])] {
        var out: [String: [Int]] = [:]
        for (es, p) in instance.mentees.enumerated() { out[instance.people[p].department, default: []].append(es) }
        return out.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
