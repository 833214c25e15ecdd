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
        /// The location-reach row, when present.
        public var locationReach: Int?
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
    /// Mentor-used variables: index and mentor slot.
    let usedVariables: [(variable: Int, mentor: Int)]
    /// Stability indicators: index, the pairs counted, and how many of them make it 1.
    let stabilityVariables: [(variable: Int, pairs: [Int], need: Int)]

    /// Builds the model.
    /// - Complexity: O(pairs + mentees · equity groups).
    public init(instance: MatchInstance, candidates: CandidatePairs, lockedPairs: Set<Int>, options: Options) {
        let policy = instance.policy
        let rules = policy.rules
        let equity = policy.equity
        let off = options.disabled
        var ip = IntegerProgram(name: PortableName.make(instance.program.name), direction: .maximize)
        var names = PortableName.Registry()
        let people = instance.people

        // x variables, grouped by mentee.
        var pairOfVariable: [Int] = []
        var xOfPair: [Int: IntegerProgram.VariableID] = [:]
        var pairsByMentee = Array(repeating: [Int](), count: instance.mentees.count)
        for es in instance.mentees.indices {
            for k in candidates.pairs(ofMentee: es) {
                let isLocked = lockedPairs.contains(k)
                if let t = options.minimumPoints, !isLocked, Int(candidates.points[k]) < t { continue }
                if let allowed = options.allowedPairs, !isLocked, !allowed.contains(k) { continue }
                let m = people[instance.mentors[Int(candidates.mentor[k])]]
                let v = ip.addBinary(
                    name: names.unique("x_\(m.id)_\(people[instance.mentees[es]].id)"),
                    objective: options.goal == .totalPoints ? Double(candidates.points[k]) : 0)
                if isLocked && !off.contains(.lockedPairs) { ip.setBounds(v, lower: 1, upper: 1) }
                xOfPair[k] = v
                pairOfVariable.append(k)
                pairsByMentee[es].append(k)
            }
        }
        // y variables.
        var yOfMentee: [Int: IntegerProgram.VariableID] = [:]
        var menteeOfY: [Int] = []
        var rowMap = RowMap()
        let withRows = { (es: Int) -> Bool in
            !pairsByMentee[es].isEmpty || (options.rowsForAllMentees && !candidates.pairs(ofMentee: es).isEmpty)
        }
        for es in instance.mentees.indices where withRows(es) {
            let p = people[instance.mentees[es]]
            yOfMentee[es] = ip.addBinary(
                name: names.unique("y_\(p.id)"),
                objective: options.goal == .coverage ? Double(p.priority.coverageWeight) : 0)
            menteeOfY.append(es)
        }
        // Mentee link: y = 1 exactly when the mentee has at least one mentor,
        // and at most mentors_per_mentee mentors.
        for es in instance.mentees.indices where withRows(es) {
            let y = yOfMentee[es]!
            let xs = pairsByMentee[es].map { (xOfPair[$0]!, 1.0) }
            let k = off.contains(.mentorsPerMentee) ? max(xs.count, candidates.pairs(ofMentee: es).count) : instance.menteeLimit[es]
            let id = people[instance.mentees[es]].id
            if k == 1 {
                let r = ip.addConstraint(name: names.unique("mentee_\(id)"), terms: xs + [(y, -1)], lowerBound: 0, upperBound: 0)
                rowMap.mentee[es] = [r.index]
            } else {
                let a = ip.addConstraint(name: names.unique("mentee_\(id)_matched"), terms: xs + [(y, -1)], lowerBound: 0)
                let b = ip.addConstraint(name: names.unique("mentee_\(id)_limit"), terms: xs + [(y, -Double(k))], upperBound: 0)
                rowMap.mentee[es] = [a.index, b.index]
            }
        }
        // Tiers: at most one mentor per tier (SPEC 9.4).
        if instance.hasTiers && !off.contains(.mentorsPerMentee) {
            for es in instance.mentees.indices where pairsByMentee[es].count > 1 {
                var byTier: [Int: [Int]] = [:]
                for k in pairsByMentee[es] {
                    byTier[instance.tier(mentor: Int(candidates.mentor[k]), mentee: es)!, default: []].append(k)
                }
                for (t, ks) in byTier.sorted(by: { $0.key < $1.key }) where ks.count > 1 {
                    // Not in the row map: column generation does not run with tiers.
                    ip.addConstraint(
                        name: names.unique("tier_\(people[instance.mentees[es]].id)_\(instance.tiers[t].name ?? "")"),
                        terms: ks.map { (xOfPair[$0]!, 1.0) }, upperBound: 1)
                }
            }
        }
        // Mentor capacity (rows that cannot bind are left out).
        var pairsByMentor = Array(repeating: [Int](), count: instance.mentors.count)
        for k in pairOfVariable { pairsByMentor[Int(candidates.mentor[k])].append(k) }
        if !off.contains(.mentorCapacity) {
            for (ms, ks) in pairsByMentor.enumerated() where ks.count > instance.capacity[ms] {
                let r = ip.addConstraint(
                    name: names.unique("capacity_\(people[instance.mentors[ms]].id)"),
                    terms: ks.map { (xOfPair[$0]!, 1.0) }, upperBound: Double(instance.capacity[ms]))
                rowMap.capacity[ms] = r.index
            }
        }
        // Coverage floor (later stages).
        if let c = options.minimumCoverage {
            let terms = menteeOfY.map { (yOfMentee[$0]!, Double(people[instance.mentees[$0]].priority.coverageWeight)) }
            ip.addConstraint(name: "coverage_floor", terms: terms, lowerBound: Double(c))
        }
        // Equal access: rate(group) ≥ overall − tolerance, i.e. N·a_g − |g|·A ≥ −⌊tolerance·N·|g|⌋
        // over integer counts A = Σ_all y and a_g = Σ_g y. The counts are variables of their own:
        // the row is then over two integers, which GLPK's Gomory and MIR cuts round and its
        // branching splits (A ≤ k or A ≥ k+1) — far stronger than the same row over the y's.
        let n = instance.mentees.count
        var counts: [(variable: Int, members: [Int]?)] = []
        var matchedCount: IntegerProgram.VariableID?
        func countVariable(_ name: String, _ members: [Int]?) -> IntegerProgram.VariableID {
            let inModel = (members ?? menteeOfY).filter { yOfMentee[$0] != nil }
            let v = ip.addVariable(name: names.unique(name), lowerBound: 0, upperBound: Double(inModel.count), isInteger: true)
            ip.addConstraint(
                name: names.unique(name + "_count"), terms: inModel.map { (yOfMentee[$0]!, 1.0) } + [(v, -1)],
                lowerBound: 0, upperBound: 0)
            counts.append((v.index, members))
            return v
        }
        func accessRows(_ label: String, groups: [(String, [Int])], tolerance: Double) {
            guard n > 0 else { return }
            let all = matchedCount ?? countVariable("matched", nil)
            matchedCount = all
            for (value, members) in groups.sorted(by: { $0.0 < $1.0 }) {
                let size = members.count
                let group = countVariable("matched_\(label)_\(value)", members)
                ip.addConstraint(
                    name: names.unique("\(label)_\(value)"), terms: [(group, Double(n)), (all, -Double(size))],
                    lowerBound: -EquityMath.slack(tolerance: tolerance, n: n, groupSize: size))
            }
        }
        for rule in equity.groupAccess where !off.contains(.groupAccess(attribute: rule.attribute)) {
            accessRows(
                "group_\(rule.attribute)", groups: EquityMath.groups(instance, attribute: rule.attribute),
                tolerance: rule.tolerance)
        }
        if let tolerance = equity.departmentAccessTolerance, !off.contains(.departmentAccess) {
            accessRows("department", groups: EquityMath.departmentGroups(instance), tolerance: tolerance)
        }
        if let access = equity.levelAccess, !off.contains(.levelAccess) {
            accessRows("level", groups: EquityMath.levelGroups(instance, access), tolerance: access.tolerance)
        }
        // A mentor's mentees from any one department.
        if let cap = equity.maxSameDepartmentPerMentor, !off.contains(.maxSameDepartmentPerMentor) {
            for (ms, ks) in pairsByMentor.enumerated() where ks.count > cap {
                var byDept: [String: [Int]] = [:]
                for k in ks { byDept[people[instance.mentees[Int(candidates.mentee[k])]].department, default: []].append(k) }
                for (dept, dks) in byDept.sorted(by: { $0.key < $1.key }) where dks.count > cap {
                    let r = ip.addConstraint(
                        name: names.unique("same_department_\(people[instance.mentors[ms]].id)_\(dept)"),
                        terms: dks.map { (xOfPair[$0]!, 1.0) }, upperBound: Double(cap))
                    let deptID = instance.departmentID[instance.mentees[Int(candidates.mentee[dks[0]])]]
                    rowMap.sameDepartment[UInt64(ms) << 32 | UInt64(UInt32(deptID))] = r.index
                }
            }
        }
        // Location reach: outside − s·(all) ≥ 0 over pairs whose mentor is at the location.
        if let reach = equity.locationReach, !off.contains(.locationReach) {
            var terms: [(IntegerProgram.VariableID, Double)] = []
            for k in pairOfVariable where people[instance.mentors[Int(candidates.mentor[k])]].location == reach.location {
                let outside = people[instance.mentees[Int(candidates.mentee[k])]].location != reach.location
                let c = outside ? 1 - reach.minShareOutside : -reach.minShareOutside
                if c != 0 { terms.append((xOfPair[k]!, c)) }
            }
            if !terms.isEmpty {
                rowMap.locationReach = ip.addConstraint(name: "location_reach", terms: terms, lowerBound: -EquityMath.shareSlack).index
            }
        }
        // Mentors used (SPEC 9.3): u ≤ Σ x over the mentor's pairs.
        var used: [(variable: Int, mentor: Int)] = []
        if options.goal == .mentorsUsed || options.minimumMentorsUsed != nil {
            var terms: [(IntegerProgram.VariableID, Double)] = []
            for (ms, ks) in pairsByMentor.enumerated() where !ks.isEmpty {
                let u = ip.addBinary(name: names.unique("used_\(people[instance.mentors[ms]].id)"), objective: options.goal == .mentorsUsed ? 1 : 0)
                ip.addConstraint(
                    name: names.unique("used_\(people[instance.mentors[ms]].id)_link"), terms: ks.map { (xOfPair[$0]!, 1.0) } + [(u, -1)],
                    lowerBound: 0)
                used.append((u.index, ms))
                terms.append((u, 1))
            }
            if let floor = options.minimumMentorsUsed {
                ip.addConstraint(name: "mentors_used_floor", terms: terms, lowerBound: Double(floor))
            }
        }
        // Implied by a positive coverage or mentors-used floor (a redundant row only changes GLPK's path).
        if options.atLeastOnePair
            && (options.restateAtLeastOnePair || ((options.minimumCoverage ?? 0) <= 0 && (options.minimumMentorsUsed ?? 0) <= 0))
        {
            ip.addConstraint(name: "at_least_one_pair", terms: pairOfVariable.indices.map { (IntegerProgram.VariableID($0), 1.0) }, lowerBound: 1)
        }
        // Stability (SPEC 9.5): every pair ranked both ways is in the cohort, or its mentee is full with
        // mentors it ranks at least as well, or its mentor with mentees it ranks at least as well.
        var stability: [(variable: Int, pairs: [Int], need: Int)] = []
        if rules.stable && !off.contains(.stability) {
            let stable = Stability(instance)
            var pairIndex: [UInt64: Int] = [:]
            for k in pairOfVariable { pairIndex[MatchInstance.pairKey(Int(candidates.mentor[k]), Int(candidates.mentee[k]))] = k }
            for p in stable.rankedPairs where instance.capacity[p.mentor] > 0 {
                let tier = instance.hasTiers ? instance.tier(mentor: p.mentor, mentee: p.mentee) : nil
                let menteeSide = pairsByMentee[p.mentee].filter { k in
                    let ms = Int(candidates.mentor[k])
                    guard ms != p.mentor, let r = stable.menteeRank(p.mentee, of: ms), r <= p.menteeRank else { return false }
                    return tier == nil || instance.tier(mentor: ms, mentee: p.mentee) == tier
                }
                let mentorSide = pairsByMentor[p.mentor].filter { k in
                    let es = Int(candidates.mentee[k])
                    guard es != p.mentee, let r = stable.mentorRank(p.mentor, of: es) else { return false }
                    return r <= p.mentorRank
                }
                let label = "\(people[instance.mentors[p.mentor]].id)_\(people[instance.mentees[p.mentee]].id)"
                var terms: [(IntegerProgram.VariableID, Double)] = []
                if let k = pairIndex[MatchInstance.pairKey(p.mentor, p.mentee)] { terms.append((xOfPair[k]!, 1)) }
                // A side's indicator is its count itself when its limit is 1 (the count is then 0 or 1).
                func indicator(_ side: String, _ ks: [Int], limit: Int) {
                    guard ks.count >= limit else { return }
                    if limit == 1 {
                        terms += ks.map { (xOfPair[$0]!, 1.0) }
                        return
                    }
                    let v = ip.addBinary(name: names.unique("stable_\(side)_\(label)"), objective: 0)
                    ip.addConstraint(
                        name: names.unique("stable_\(side)_\(label)_full"), terms: ks.map { (xOfPair[$0]!, 1.0) } + [(v, -Double(limit))],
                        lowerBound: 0)
                    stability.append((v.index, ks, limit))
                    terms.append((v, 1))
                }
                indicator("mentee", menteeSide, limit: tier == nil ? instance.menteeLimit[p.mentee] : 1)
                indicator("mentor", mentorSide, limit: instance.capacity[p.mentor])
                ip.addConstraint(name: names.unique("stable_\(label)"), terms: terms, lowerBound: 1)
            }
        }
        program = ip
        countVariables = counts
        usedVariables = used
        stabilityVariables = stability
        rows = rowMap
        self.options = options
        self.pairOfVariable = pairOfVariable
        menteeOfYVariable = menteeOfY
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
        let inCohort = Set(pairOfVariable.filter { chosen.contains($0) })
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
        if let r = rows.locationReach, let reach = instance.policy.equity.locationReach,
            instance.people[instance.mentors[ms]].location == reach.location
        {
            let outside = instance.people[instance.mentees[es]].location != reach.location
            d -= duals[r] * (outside ? 1 - reach.minShareOutside : -reach.minShareOutside)
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
