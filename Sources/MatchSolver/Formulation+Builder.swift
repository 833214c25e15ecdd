import MatchModel
import Optimization

extension Formulation {
    /// The model under construction: one method per family of rows, called in a fixed order
    /// (the order of variables and rows is the model `--write-model` writes, and GLPK's path).
    struct Builder {
        let instance: MatchInstance
        let candidates: CandidatePairs
        let options: Options
        let people: [Person]
        var ip: IntegerProgram
        var names = PortableName.Registry()
        var pairOfVariable: [Int] = []
        var xOfPair: [Int: IntegerProgram.VariableID] = [:]
        var pairsByMentee: [[Int]]
        var pairsByMentor: [[Int]]
        var yOfMentee: [Int: IntegerProgram.VariableID] = [:]
        var menteeOfY: [Int] = []
        var rowMap = RowMap()
        var counts: [(variable: Int, members: [Int]?)] = []
        var matchedCount: IntegerProgram.VariableID?
        /// The matched count in whole steps, when the access rules allow only multiples of one (``EquityMath/matchedCountStep(mentees:rules:upTo:canMatch:)``).
        var matchedSteps: (variable: Int, step: Int)?
        var pairCounts: [(variable: Int, pairs: [Int])] = []
        var used: [(variable: Int, mentor: Int)] = []
        var stability: [(variable: Int, pairs: [Int], need: Int)] = []

        init(instance: MatchInstance, candidates: CandidatePairs, options: Options) {
            self.instance = instance
            self.candidates = candidates
            self.options = options
            people = instance.people
            ip = IntegerProgram(name: PortableName.make(instance.program.name), direction: .maximize)
            pairsByMentee = Array(repeating: [], count: instance.mentees.count)
            pairsByMentor = Array(repeating: [], count: instance.mentors.count)
        }

        private var off: Set<RuleFamily> { options.disabled }
        private func x(_ ks: [Int]) -> [(IntegerProgram.VariableID, Double)] { ks.map { (xOfPair[$0]!, 1.0) } }
        private func mentorID(_ ms: Int) -> String { people[instance.mentors[ms]].id }
        private func menteeID(_ es: Int) -> String { people[instance.mentees[es]].id }

        /// `x` for each included eligible pair, grouped by mentee; locked pairs fixed at 1.
        mutating func addPairVariables(lockedPairs: Set<Int>) {
            for es in instance.mentees.indices {
                for k in candidates.pairs(ofMentee: es) {
                    let isLocked = lockedPairs.contains(k)
                    if let t = options.minimumPoints, !isLocked, Int(candidates.points[k]) < t { continue }
                    if let allowed = options.allowedPairs, !isLocked, !allowed.contains(k) { continue }
                    let v = ip.addBinary(
                        name: names.unique("x_\(mentorID(Int(candidates.mentor[k])))_\(menteeID(es))"),
                        objective: options.goal == .totalPoints ? Double(candidates.points[k]) : 0)
                    if isLocked && !off.contains(.lockedPairs) { ip.setBounds(v, lower: 1, upper: 1) }
                    xOfPair[k] = v
                    pairOfVariable.append(k)
                    pairsByMentee[es].append(k)
                }
            }
            for k in pairOfVariable { pairsByMentor[Int(candidates.mentor[k])].append(k) }
        }

        /// Whether a mentee gets a `y` and link rows.
        private func withRows(_ es: Int) -> Bool {
            !pairsByMentee[es].isEmpty || (options.rowsForAllMentees && !candidates.pairs(ofMentee: es).isEmpty)
        }

        /// `y` for each mentee with rows.
        mutating func addMenteeVariables() {
            for es in instance.mentees.indices where withRows(es) {
                let p = people[instance.mentees[es]]
                yOfMentee[es] = ip.addBinary(
                    name: names.unique("y_\(p.id)"),
                    objective: options.goal == .coverage ? Double(p.priority.coverageWeight) : 0)
                menteeOfY.append(es)
            }
        }

        /// Mentee link: y = 1 exactly when the mentee has at least one mentor, and at most its limit of mentors.
        mutating func addMenteeLinks() {
            for es in instance.mentees.indices where withRows(es) {
                let y = yOfMentee[es]!
                let xs = x(pairsByMentee[es])
                let k = off.contains(.mentorsPerMentee) ? max(xs.count, candidates.pairs(ofMentee: es).count) : instance.menteeLimit[es]
                let id = menteeID(es)
                if k == 1 {
                    let r = ip.addConstraint(name: names.unique("mentee_\(id)"), terms: xs + [(y, -1)], lowerBound: 0, upperBound: 0)
                    rowMap.mentee[es] = [r.index]
                } else {
                    let a = ip.addConstraint(name: names.unique("mentee_\(id)_matched"), terms: xs + [(y, -1)], lowerBound: 0)
                    let b = ip.addConstraint(name: names.unique("mentee_\(id)_limit"), terms: xs + [(y, -Double(k))], upperBound: 0)
                    rowMap.mentee[es] = [a.index, b.index]
                }
            }
        }

        /// Tiers: at most one mentor per tier (SPEC 9.4). Not in the row map: column generation
        /// does not run with tiers.
        mutating func addTierRows() {
            guard instance.hasTiers && !off.contains(.mentorsPerMentee) else { return }
            for es in instance.mentees.indices where pairsByMentee[es].count > 1 {
                var byTier: [Int: [Int]] = [:]
                for k in pairsByMentee[es] {
                    byTier[instance.tier(mentor: Int(candidates.mentor[k]), mentee: es)!, default: []].append(k)
                }
                for (t, ks) in byTier.sorted(by: { $0.key < $1.key }) where ks.count > 1 {
                    ip.addConstraint(name: names.unique("tier_\(menteeID(es))_\(instance.tiers[t].name ?? "")"), terms: x(ks), upperBound: 1)
                }
            }
        }

        /// Mentor capacity (rows that cannot bind are left out).
        mutating func addCapacityRows() {
            guard !off.contains(.mentorCapacity) else { return }
            for (ms, ks) in pairsByMentor.enumerated() where ks.count > instance.capacity[ms] {
                let r = ip.addConstraint(name: names.unique("capacity_\(mentorID(ms))"), terms: x(ks), upperBound: Double(instance.capacity[ms]))
                rowMap.capacity[ms] = r.index
            }
        }

        /// Coverage floor (later stages).
        mutating func addCoverageFloor() {
            guard let c = options.minimumCoverage else { return }
            let terms = menteeOfY.map { (yOfMentee[$0]!, Double(people[instance.mentees[$0]].priority.coverageWeight)) }
            ip.addConstraint(name: "coverage_floor", terms: terms, lowerBound: Double(c))
        }

        /// An integer variable equal to the number of matched mentees among `members` (`nil`: all).
        private mutating func countVariable(_ name: String, _ members: [Int]?) -> IntegerProgram.VariableID {
            let inModel = (members ?? menteeOfY).filter { yOfMentee[$0] != nil }
            let v = ip.addVariable(name: names.unique(name), lowerBound: 0, upperBound: Double(inModel.count), isInteger: true)
            ip.addConstraint(
                name: names.unique(name + "_count"), terms: inModel.map { (yOfMentee[$0]!, 1.0) } + [(v, -1)],
                lowerBound: 0, upperBound: 0)
            counts.append((v.index, members))
            return v
        }

        /// Equal access: rate(group) ≥ overall − tolerance, i.e. N·a_g − |g|·A ≥ −⌊tolerance·N·|g|⌋
        /// over integer counts A = Σ_all y and a_g = Σ_g y. The counts are variables of their own:
        /// the row is then over two integers, which GLPK's Gomory and MIR cuts round and its
        /// branching splits (A ≤ k or A ≥ k+1) — far stronger than the same row over the y's.
        private mutating func accessRows(_ label: String, groups: [(String, [Int])], tolerance: Double) {
            let n = instance.mentees.count
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

        /// Group, department and level access; the number of matched mentees then at most the
        /// largest count those rules allow (``EquityMath/matchedCountLimit(mentees:rules:upTo:canMatch:mostMatched:reaches:)``),
        /// and a whole number of steps when every count they allow is a multiple of one
        /// (``EquityMath/matchedCountStep(mentees:rules:upTo:canMatch:)``).
        mutating func addAccessRows() {
            let rules = EquityMath.accessRules(instance, disabled: off)
            for rule in rules { accessRows(rule.label, groups: rule.groups, tolerance: rule.tolerance) }
            guard let all = matchedCount else { return }
            let most = Int(ip.variables[all.index].upperBound)
            let canMatch = { (e: Int) in yOfMentee[e] != nil }
            let n = instance.mentees.count
            let counted = EquityMath.matchedCountLimit(
                mentees: n, rules: rules, upTo: min(most, options.matchedCountBound ?? Int.max), canMatch: canMatch)
            let step = EquityMath.matchedCountStep(mentees: n, rules: rules, upTo: counted, canMatch: canMatch)
            var limit = counted
            if step > 1 {
                // Counts on a lattice, which the relaxation cannot see: the top ones are taken only when
                // a flow gives every group its share at once. Over every candidate pair, not only this
                // model's: column generation's models hold a subset, and a bound from it would cut off
                // cohorts of pairs not yet priced in.
                let matchable = MatchableCount(
                    instance: instance, pairs: (0..<candidates.count).map { (Int(candidates.mentor[$0]), Int(candidates.mentee[$0])) })
                let reaches = { (a: Int) -> Bool in
                    rules.allSatisfy { rule in
                        guard let least = EquityMath.leastPerGroup(rule, mentees: n, matched: a) else { return true }
                        return matchable.reaches(groups: rule.groups.map(\.1), least: least, total: a)
                    }
                }
                limit = EquityMath.matchedCountLimit(
                    mentees: n, rules: rules, upTo: counted, canMatch: canMatch, mostMatched: matchable.most, reaches: reaches)
            }
            if limit < most { ip.setBounds(all, lower: 0, upper: Double(limit)) }
            guard step > 1, limit > 0 else { return }
            let steps = ip.addVariable(name: names.unique("matched_steps"), lowerBound: 0, upperBound: Double(limit / step), isInteger: true)
            ip.addConstraint(name: names.unique("matched_in_steps"), terms: [(all, 1), (steps, -Double(step))], lowerBound: 0, upperBound: 0)
            matchedSteps = (steps.index, step)
        }

        /// A mentor's mentees from any one department.
        mutating func addSameDepartmentRows() {
            guard let cap = instance.policy.equity.maxSameDepartmentPerMentor, !off.contains(.maxSameDepartmentPerMentor) else { return }
            for (ms, ks) in pairsByMentor.enumerated() where ks.count > cap {
                var byDept: [String: [Int]] = [:]
                for k in ks { byDept[people[instance.mentees[Int(candidates.mentee[k])]].department, default: []].append(k) }
                for (dept, dks) in byDept.sorted(by: { $0.key < $1.key }) where dks.count > cap {
                    let r = ip.addConstraint(name: names.unique("same_department_\(mentorID(ms))_\(dept)"), terms: x(dks), upperBound: Double(cap))
                    let deptID = instance.departmentID[instance.mentees[Int(candidates.mentee[dks[0]])]]
                    rowMap.sameDepartment[UInt64(ms) << 32 | UInt64(UInt32(deptID))] = r.index
                }
            }
        }

        /// Location reach: outside − s·all ≥ 0 over pairs whose mentor is at the location, stated over
        /// two integer counts of those pairs (all of them, and those with a mentee elsewhere). With
        /// the row over the pairs themselves, the relaxation meets it with quarter pairs along long
        /// cycles and GLPK's tree, branching on one pair at a time, finds another such cycle under
        /// every branch; over the counts it branches on the counts (all ≤ k or all ≥ k + 1), and
        /// programs where the rule binds settle in a few hundred nodes.
        mutating func addLocationReach() {
            guard let reach = instance.policy.equity.locationReach, !off.contains(.locationReach) else { return }
            var all: [Int] = []
            var outside: [Int] = []
            for k in pairOfVariable where people[instance.mentors[Int(candidates.mentor[k])]].location == reach.location {
                all.append(k)
                if people[instance.mentees[Int(candidates.mentee[k])]].location != reach.location { outside.append(k) }
            }
            guard !all.isEmpty else { return }
            let (o, outsideRow) = pairCount("location_reach_outside", outside)
            let (a, allRow) = pairCount("location_reach_pairs", all)
            rowMap.reach = (pairs: allRow, outside: outsideRow)
            ip.addConstraint(name: "location_reach", terms: [(o, 1), (a, -reach.minShareOutside)], lowerBound: -EquityMath.shareSlack)
        }

        /// An integer variable equal to the number of chosen pairs among `pairs`, and its defining row.
        private mutating func pairCount(_ name: String, _ pairs: [Int]) -> (IntegerProgram.VariableID, Int) {
            let v = ip.addVariable(name: names.unique(name), lowerBound: 0, upperBound: Double(pairs.count), isInteger: true)
            let row = ip.addConstraint(name: names.unique(name + "_count"), terms: x(pairs) + [(v, -1)], lowerBound: 0, upperBound: 0)
            pairCounts.append((v.index, pairs))
            return (v, row.index)
        }

        /// Mentors used (SPEC 9.3): u ≤ Σ x over the mentor's pairs; a floor when the stage is settled.
        mutating func addMentorsUsed() {
            guard options.goal == .mentorsUsed || options.minimumMentorsUsed != nil else { return }
            var terms: [(IntegerProgram.VariableID, Double)] = []
            for (ms, ks) in pairsByMentor.enumerated() where !ks.isEmpty {
                let u = ip.addBinary(name: names.unique("used_\(mentorID(ms))"), objective: options.goal == .mentorsUsed ? 1 : 0)
                ip.addConstraint(name: names.unique("used_\(mentorID(ms))_link"), terms: x(ks) + [(u, -1)], lowerBound: 0)
                used.append((u.index, ms))
                terms.append((u, 1))
            }
            if let floor = options.minimumMentorsUsed {
                ip.addConstraint(name: "mentors_used_floor", terms: terms, lowerBound: Double(floor))
            }
        }

        /// `Σ x ≥ 1`, unless a positive coverage or mentors-used floor implies it (a redundant row
        /// only changes GLPK's path — which is what restating it is for).
        mutating func addAtLeastOnePair() {
            let implied = (options.minimumCoverage ?? 0) > 0 || (options.minimumMentorsUsed ?? 0) > 0
            guard options.atLeastOnePair && (options.restateAtLeastOnePair || !implied) else { return }
            ip.addConstraint(name: "at_least_one_pair", terms: pairOfVariable.indices.map { (IntegerProgram.VariableID($0), 1.0) }, lowerBound: 1)
        }

        /// Stability (SPEC 9.5): every pair ranked both ways is in the cohort, or its mentee is full
        /// with mentors it ranks at least as well, or its mentor with mentees it ranks at least as well.
        mutating func addStabilityRows() {
            guard instance.policy.rules.stable && !off.contains(.stability) else { return }
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
                let label = "\(mentorID(p.mentor))_\(menteeID(p.mentee))"
                var terms: [(IntegerProgram.VariableID, Double)] = []
                if let k = pairIndex[MatchInstance.pairKey(p.mentor, p.mentee)] { terms.append((xOfPair[k]!, 1)) }
                terms += indicator("mentee", label, menteeSide, limit: tier == nil ? instance.menteeLimit[p.mentee] : 1)
                terms += indicator("mentor", label, mentorSide, limit: instance.capacity[p.mentor])
                ip.addConstraint(name: names.unique("stable_\(label)"), terms: terms, lowerBound: 1)
            }
        }

        /// The terms saying a side is full with better pairs: its count itself when its limit is 1
        /// (the count is then 0 or 1), else a binary indicator with `Σ x ≥ limit · v`; none when
        /// the side has fewer better pairs than its limit.
        private mutating func indicator(_ side: String, _ label: String, _ ks: [Int], limit: Int) -> [(IntegerProgram.VariableID, Double)] {
            guard ks.count >= limit else { return [] }
            if limit == 1 { return x(ks) }
            let v = ip.addBinary(name: names.unique("stable_\(side)_\(label)"), objective: 0)
            ip.addConstraint(name: names.unique("stable_\(side)_\(label)_full"), terms: x(ks) + [(v, -Double(limit))], lowerBound: 0)
            stability.append((v.index, ks, limit))
            return [(v, 1)]
        }
    }
}
