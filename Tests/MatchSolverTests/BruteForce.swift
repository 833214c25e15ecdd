import Foundation
import MatchModel
import Testing

@testable import MatchSolver

/// The solver's oracle: enumerates every cohort of a small instance and keeps
/// the lexicographic best. Constraints are checked here from SPEC 4's words
/// with plain floating-point rates, independently of the formulation.
struct BruteForce {
    let instance: MatchInstance
    let candidates: CandidatePairs

    struct Best {
        var coverage: Int
        var total: Int
        var minimum: Int
        var mentorsUsed = 0

        func value(_ stage: ObjectiveStage) -> Int {
            switch stage {
            case .coverage: coverage
            case .mentorsUsed: mentorsUsed
            case .minPoints: minimum
            case .totalPoints: total
            }
        }
    }

    func solve() -> Best? {
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

/// Small random programs touching every rule family.
struct RandomProgram {
    var rng: SplitMix

    mutating func make(mentorsPerMentee: Int) -> (Program, ReviewDecisions) {
        let nMentors = 1 + rng.below(4)
        let nMentees = 1 + rng.below(mentorsPerMentee == 1 ? 8 : 6)
        let zones = ["UTC", "UTC+02:00", "UTC+05:30", "UTC-05:00", "UTC+09:00"]
        let langs = [["en"], ["en", "de"], ["de"], ["ja", "en"]]
        let skills = ["s1", "s2", "s3"]
        var people: [Person] = []
        func skillMap(_ range: ClosedRange<Int>) -> [String: Int] {
            var out: [String: Int] = [:]
            for s in skills where rng.below(2) == 0 { out[s] = Int.random(in: range, using: &rng) }
            return out
        }
        for i in 0..<(nMentors + nMentees) {
            let isMentor = i < nMentors
            var role: Role = isMentor ? .mentor : .mentee
            if rng.below(10) == 0 { role = .both }
            let id = (isMentor ? "M" : "E") + String(i)
            let manager: String? = i > 0 && rng.below(4) == 0 ? people[rng.below(i)].id : nil
            people.append(
                Person(
                    id: id, role: role, level: isMentor ? 4 + rng.below(6) : 2 + rng.below(5),
                    department: ["A", "B", "C"][rng.below(3)], location: ["HQ", "X", ""][rng.below(3)],
                    timeZone: TimeZoneSpec(parsing: zones[rng.below(zones.count)])!, languages: langs[rng.below(langs.count)],
                    managerID: manager, expertise: isMentor || role == .both ? skillMap(1...5) : [:],
                    goals: isMentor ? [:] : skillMap(1...3), capacity: rng.below(3) == 0 ? rng.below(4) : nil,
                    tenureMonths: rng.below(4) == 0 ? nil : rng.below(40), rating: rng.below(3) == 0 ? nil : Double(1 + rng.below(5)),
                    style: rng.below(5) == 0 ? nil : DiscStyle.allCases[rng.below(4)],
                    attributes: rng.below(4) == 0 ? [:] : ["g": ["a", "b"][rng.below(2)]],
                    priority: rng.below(4) == 0 ? .high : .normal, optedOut: rng.below(15) == 0))
        }
        var policy = Policy()
        policy.rules.mentorsPerMentee = mentorsPerMentee
        policy.rules.maxTimezoneGapHours = [nil, 3, 6, 8][rng.below(4)]
        policy.rules.sharedLanguage = rng.below(3) != 0
        policy.rules.levelGap.min = rng.below(2)
        policy.rules.levelGap.max = 3 + rng.below(3)
        policy.rules.levelGap.ideal = 1 + rng.below(3)
        policy.rules.defaultCapacity = 1 + rng.below(2)
        if rng.below(3) == 0 { policy.rules.capacityByLevel = [6: 3] }
        if rng.below(4) == 0 { policy.rules.minTenureMonths = 10 }
        if rng.below(4) == 0 { policy.rules.minRating = 3 }
        if rng.below(2) == 0 { policy.equity.groupAccess = [.init(attribute: "g", tolerance: [0, 0.1, 0.25][rng.below(3)])] }
        if rng.below(3) == 0 { policy.equity.departmentAccessTolerance = [0, 0.2][rng.below(2)] }
        if rng.below(3) == 0 { policy.equity.maxSameDepartmentPerMentor = 1 + rng.below(2) }
        if rng.below(3) == 0 { policy.equity.locationReach = .init(location: "HQ", minShareOutside: [0.3, 0.5][rng.below(2)]) }
        policy.objective = rng.below(2) == 0 ? .coverageThenScore : .coverageThenFairness
        if rng.below(3) == 0 { policy.weights.preference = 0.4 }
        var prefs: [Preference] = []
        for _ in 0..<rng.below(6) {
            let a = people[rng.below(people.count)].id, b = people[rng.below(people.count)].id
            if a != b { prefs.append(Preference(fromID: a, toID: b, rank: 1 + rng.below(5))) }
        }
        var exclusions: [Exclusion] = []
        var history: [PastPair] = []
        if rng.below(3) == 0 { exclusions.append(Exclusion(a: people[rng.below(nMentors)].id, b: people[nMentors + rng.below(nMentees)].id)) }
        if rng.below(3) == 0 {
            history.append(PastPair(mentorID: people[rng.below(nMentors)].id, menteeID: people[nMentors + rng.below(nMentees)].id))
        }
        let program = Program(name: "random", people: people, preferences: prefs, exclusions: exclusions, history: history)
        var withPolicy = program
        withPolicy.policy = policy
        var decisions = ReviewDecisions()
        let probe = MatchInstance(program: withPolicy)
        let candidates = CandidatePairs(probe)
        if candidates.count > 0 && rng.below(4) == 0 {
            let k = rng.below(candidates.count)
            decisions.locked.insert(
                PairKey(
                    mentorID: people[probe.mentors[Int(candidates.mentor[k])]].id,
                    menteeID: people[probe.mentees[Int(candidates.mentee[k])]].id))
        }
        if candidates.count > 1 && rng.below(4) == 0 {
            let k = rng.below(candidates.count)
            let key = PairKey(
                mentorID: people[probe.mentors[Int(candidates.mentor[k])]].id,
                menteeID: people[probe.mentees[Int(candidates.mentee[k])]].id)
            if !decisions.locked.contains(key) { decisions.rejected.insert(key) }
        }
        return (withPolicy, decisions)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

extension SolveOutcome {
    /// Expects this outcome to be the brute-force optimum (or infeasible when there is none), every rule kept.
    func expectMatches(
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
