import Foundation
import MatchModel
import MatchSolver
import Testing

/// The solver's oracle: enumerates every cohort of a small instance and keeps
/// the lexicographic best. Constraints are checked here from SPEC 4's words
/// with plain floating-point rates, independently of the formulation.
package struct BruteForce {
    package let instance: MatchInstance
    package let candidates: CandidatePairs

    package init(instance: MatchInstance, candidates: CandidatePairs) {
        self.instance = instance
        self.candidates = candidates
    }

    package struct Best {
        package var coverage: Int
        package var total: Int
        package var minimum: Int
        package var mentorsUsed = 0

        package func value(_ stage: ObjectiveStage) -> Int {
            switch stage {
            case .coverage: coverage
            case .mentorsUsed: mentorsUsed
            case .minPoints: minimum
            case .totalPoints: total
            }
        }
    }

    package func solve() -> Best? {
        let rules = instance.policy.rules
        let n = instance.mentees.count
        var load = Array(repeating: 0, count: instance.mentors.count)
        var chosen: [(Int, Int)] = []
        var best: Best?
        let locked: Set<UInt64> = Set(
            instance.decisions.locked.compactMap { lock in
                guard let m = instance.indexOfID[lock.mentorID], let e = instance.indexOfID[lock.menteeID],
                    let ms = instance.mentorSlot[m], let es = instance.menteeSlot[e]
                else { return nil }
                return MatchInstance.pairKey(ms, es)
            })
        let lockCount = instance.decisions.locked.count

        // SPEC 9.3: the listed stages in order.
        func better(_ a: Best, _ b: Best) -> Bool {
            for stage in instance.policy.objective.stages where a.value(stage) != b.value(stage) { return a.value(stage) > b.value(stage) }
            return false
        }
        let policy = instance.policy
        // SPEC 9.1 and 9.4, from the words: one mentor per tier with tiers, else the roster's cell or the program's number.
        let limits = instance.mentees.map { policy.tiers.isEmpty ? (instance.people[$0].mentorLimit ?? rules.mentorsPerMentee) : policy.tiers.count }
        func tierOf(_ m: Int, _ e: Int) -> Int? {
            let gap = instance.people[instance.mentors[m]].level - instance.people[instance.mentees[e]].level
            return policy.resolvedTiers.firstIndex { $0.levelGap.min <= gap && gap <= $0.levelGap.max }
        }
        func rank(_ from: Int, _ to: Int) -> Int? {
            let a = instance.people[from].id, b = instance.people[to].id
            return instance.program.preferences.first { $0.fromID == a && $0.toID == b }?.rank
        }
        // SPEC 9.5 from its words, over every eligible pair ranked both ways.
        func blocking(_ chosen: [(Int, Int)]) -> Int {
            var count = 0
            for e in 0..<n {
                for m in 0..<instance.mentors.count where instance.isEligible(mentor: m, mentee: e) && !chosen.contains(where: { $0 == (m, e) }) {
                    guard let re = rank(instance.mentees[e], instance.mentors[m]), let rm = rank(instance.mentors[m], instance.mentees[e]) else {
                        continue
                    }
                    var mine = chosen.filter { $0.1 == e }.map(\.0)
                    var limit = limits[e]
                    if !policy.tiers.isEmpty {
                        mine = mine.filter { tierOf($0, e) == tierOf(m, e) }
                        limit = 1
                    }
                    let eWants = mine.count < limit || mine.contains { (rank(instance.mentees[e], instance.mentors[$0]) ?? Int.max) > re }
                    let theirs = chosen.filter { $0.0 == m }.map(\.1)
                    let mWants =
                        theirs.count < instance.capacity[m] || theirs.contains { (rank(instance.mentors[m], instance.mentees[$0]) ?? Int.max) > rm }
                    if eWants && mWants { count += 1 }
                }
            }
            return count
        }

        func evaluate() {
            // Locked pairs all present.
            let keys = Set(chosen.map { MatchInstance.pairKey($0.0, $0.1) })
            if locked.count != lockCount || !locked.isSubset(of: keys) { return }
            var matched = Set<Int>()
            for (_, e) in chosen { matched.insert(e) }
            let overall = n == 0 ? 0 : Double(matched.count) / Double(n)
            let eq = instance.policy.equity
            func accessOK(_ groups: [String: [Int]], _ tol: Double) -> Bool {
                for (_, members) in groups {
                    let rate = Double(members.filter { matched.contains($0) }.count) / Double(members.count)
                    if rate < overall - tol - 1e-9 { return false }
                }
                return true
            }
            for g in eq.groupAccess {
                var groups: [String: [Int]] = [:]
                for (es, p) in instance.mentees.enumerated() {
                    if let v = instance.people[p].attributes[g.attribute] { groups[v, default: []].append(es) }
                }
                if !accessOK(groups, g.tolerance) { return }
            }
            if let t = eq.departmentAccessTolerance {
                var groups: [String: [Int]] = [:]
                for (es, p) in instance.mentees.enumerated() { groups[instance.people[p].department, default: []].append(es) }
                if !accessOK(groups, t) { return }
            }
            if let levels = eq.levelAccess {
                var groups: [String: [Int]] = [:]
                for (es, p) in instance.mentees.enumerated() {
                    if let band = levels.bands.first(where: { $0.contains(instance.people[p].level) }) { groups["\(band)", default: []].append(es) }
                }
                if !accessOK(groups, levels.tolerance) { return }
            }
            if policy.rules.stable && blocking(chosen) > 0 { return }
            if let cap = eq.maxSameDepartmentPerMentor {
                var count: [String: Int] = [:]
                for (m, e) in chosen {
                    let k = "\(m)|\(instance.people[instance.mentees[e]].department)"
                    count[k, default: 0] += 1
                    if count[k]! > cap { return }
                }
            }
            if let reach = eq.locationReach {
                let at = chosen.filter { instance.people[instance.mentors[$0.0]].location == reach.location }
                if !at.isEmpty {
                    let out = at.filter { instance.people[instance.mentees[$0.1]].location != reach.location }.count
                    if Double(out) / Double(at.count) < reach.minShareOutside - 1e-9 { return }
                }
            }
            let coverage = matched.reduce(0) { $0 + instance.people[instance.mentees[$1]].priority.coverageWeight }
            let pts = chosen.map { instance.points(mentor: $0.0, mentee: $0.1) }
            let b = Best(coverage: coverage, total: pts.reduce(0, +), minimum: pts.min() ?? 0, mentorsUsed: Set(chosen.map(\.0)).count)
            if best == nil || better(b, best!) { best = b }
        }

        func visit(_ es: Int) {
            if es == n {
                evaluate()
                return
            }
            let options = candidates.pairs(ofMentee: es).map { Int(candidates.mentor[$0]) }
            // Subsets of size ≤ the mentee's limit (one per tier with tiers), within capacity.
            func choose(_ from: Int, _ taken: Int) {
                visit(es + 1)
                guard taken < limits[es] else { return }
                for i in from..<options.count {
                    let m = options[i]
                    guard load[m] < instance.capacity[m] else { continue }
                    if !policy.tiers.isEmpty, chosen.contains(where: { $0.1 == es && tierOf($0.0, es) == tierOf(m, es) }) { continue }
                    load[m] += 1
                    chosen.append((m, es))
                    choose(i + 1, taken + 1)
                    chosen.removeLast()
                    load[m] -= 1
                }
            }
            choose(0, 0)
        }
        visit(0)
        return best
    }
}

extension SolveOutcome {
    /// Expects this outcome to be the brute-force optimum (or infeasible when there is none), every rule kept.
    package func expectMatches(
        _ oracle: BruteForce.Best?, _ instance: MatchInstance, _ context: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        guard let oracle else {
            #expect(status == .infeasible, "\(context): brute force found no cohort", sourceLocation: sourceLocation)
            #expect(!conflicts.isEmpty, "\(context)", sourceLocation: sourceLocation)
            return
        }
        #expect(status == .optimal, "\(context)", sourceLocation: sourceLocation)
        #expect(objective.coverage == oracle.coverage, "\(context)", sourceLocation: sourceLocation)
        #expect(objective.totalPoints == oracle.total, "\(context)", sourceLocation: sourceLocation)
        for stage in instance.policy.objective.stages {
            #expect(objective.value(stage) == oracle.value(stage), "\(context): \(stage.rawValue)", sourceLocation: sourceLocation)
        }
        #expect(
            CohortCheck.violations(instance, pairs: pairs.map { ($0.mentor, $0.mentee) }).isEmpty, "\(context)",
            sourceLocation: sourceLocation)
    }
}
