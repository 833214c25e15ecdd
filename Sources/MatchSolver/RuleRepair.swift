import MatchModel

/// A primal heuristic for programs whose access and reach rules bind: turns a
/// cohort that keeps the network's rules (places, capacities, department caps,
/// locks) into one that keeps every access and reach rule too, then improves it
/// while every rule holds.
///
/// 1. **Drop.** While a row is broken, remove the pair that leaves the least
///    total deficit (each row's deficit over its largest coefficient), losing
///    the least value on ties — even when no removal lowers it (two rules can
///    pull apart). Every step removes a pair, so this ends at worst with the
///    locked pairs alone; without locks the empty cohort keeps every access and
///    reach row, so a cohort is always found.
/// 2. **Add.** Each mentee with a free place (higher coverage weight first)
///    takes the best augmenting path of length one or three in the b-matching
///    (a mentor with room, or one of its best mentors whose mentee moves to
///    one of its own best mentors with room) whose row changes keep every row.
/// 3. **Move.** A pair moves to a better mentor with room for that mentee
///    when every row still holds.
///
/// Every step keeps capacities, places and department caps, so the result is
/// a cohort the caller can check like any other; value is `W·coverage + points`.
/// - Complexity: drop O(steps · pairs · rows); add and move O(Σ deg(e) · cap · deg)
///   per pass, a row check in O(1) (access rows change by the mentee's column only).
final class RuleRepair {
    let instance: MatchInstance
    let rows: [SideRow]
    /// `W`: the value of one unit of coverage weight.
    let w: Int64
    /// Eligible (mentor slot, points) of each mentee slot, best first.
    let eligible: [[(mentor: Int, points: Int)]]

    /// Most candidate paths examined by one repair (a budget, so a call stays within about a
    /// second on the largest programs it serves; what the budget leaves out only costs value).
    var workLimit = 4_000_000
    /// Paths of length three go through a mentee's best ``pathBreadth`` mentors, and the
    /// displaced mentee moves to one of its best ``pathBreadth``: the neighbourhood where
    /// gains are, at a cost that does not grow with the roster's density.
    var pathBreadth = 64
    /// The most places one growing move of the count search adds (``improveByCounts(_:towards:locked:keepReach:work:stop:)``).
    var growSteps = 24

    /// Each mentee slot's most mentors.
    private let limit: [Int]
    private let capacity: [Int]
    let departmentCap: Int?
    let menteeDepartment: [Int32]
    let coverageWeight: [Int64]
    let scale: [Double]
    let reach: Int?
    /// Mentees with the same column in every access row share a class.
    let accessClass: [Int]

    init(instance: MatchInstance, rows: [SideRow], w: Int64, eligible: [[(mentor: Int, points: Int)]]) {
        self.instance = instance
        self.rows = rows
        self.w = w
        self.eligible = eligible
        limit = instance.menteeLimit
        capacity = instance.capacity
        departmentCap = instance.policy.equity.maxSameDepartmentPerMentor
        menteeDepartment = instance.mentees.map { instance.departmentID[$0] }
        coverageWeight = instance.mentees.map { Int64(instance.people[$0].priority.coverageWeight) }
        scale = rows.map { Double($0.largestCoefficient) }
        reach = rows.firstIndex { !$0.atLocation.isEmpty }
        var classes: [[Int64]: Int] = [:]
        accessClass = instance.mentees.indices.map { e in
            let column = rows.map { $0.menteeCoefficient.isEmpty ? 0 : $0.menteeCoefficient[e] }
            if let c = classes[column] { return c }
            classes[column] = classes.count
            return classes.count - 1
        }
    }

    /// The cohort being repaired, with its row slacks kept up to date.
    private struct State {
        var mentorsOf: [[Int]]
        /// Points of each pair, parallel to ``mentorsOf``.
        var pointsOf: [[Int]]
        var menteesOf: [[Int]]
        var load: [Int]
        var departmentLoad: [UInt64: Int] = [:]
        var slack: [Int64]
        var locked: Set<UInt64>
        /// Candidate paths examined so far (see ``RuleRepair/workLimit``).
        var work = 0

        func has(_ m: Int, _ e: Int) -> Bool { mentorsOf[e].contains(m) }
    }

    /// The key of a mentor's places for one mentee's department (the department cap's unit).
    func departmentKey(_ m: Int, _ e: Int) -> UInt64 { UInt64(m) << 32 | UInt64(UInt32(bitPattern: menteeDepartment[e])) }

    /// Row changes when mentee `e` gains (sign +1) or loses (−1) its only mentor.
    private func accessDelta(_ e: Int, _ k: Int) -> Int64 {
        rows[k].menteeCoefficient.isEmpty ? 0 : rows[k].menteeCoefficient[e]
    }

    /// The reach row's change when pair (m, e) is added.
    func reachDelta(_ m: Int, _ e: Int) -> Int64 {
        guard let r = reach, rows[r].atLocation[m] else { return 0 }
        return rows[r].outside[e] ? rows[r].outsideCoefficient : rows[r].insideCoefficient
    }

    private func deficit(_ slack: [Int64]) -> Double {
        var d = 0.0
        for k in rows.indices where slack[k] < 0 { d += Double(-slack[k]) / scale[k] }
        return d
    }

    private func hasRoom(_ s: State, _ m: Int, _ e: Int) -> Bool {
        guard s.load[m] < capacity[m] else { return false }
        if let cap = departmentCap, s.departmentLoad[departmentKey(m, e), default: 0] >= cap { return false }
        return true
    }

    private func add(_ s: inout State, _ m: Int, _ e: Int, points: Int) {
        if s.mentorsOf[e].isEmpty { for k in rows.indices { s.slack[k] += accessDelta(e, k) } }
        if let r = reach { s.slack[r] += reachDelta(m, e) }
        s.mentorsOf[e].append(m)
        s.pointsOf[e].append(points)
        s.menteesOf[m].append(e)
        s.load[m] += 1
        if departmentCap != nil { s.departmentLoad[departmentKey(m, e), default: 0] += 1 }
    }

    private func remove(_ s: inout State, _ m: Int, _ e: Int) {
        if let i = s.mentorsOf[e].firstIndex(of: m) {
            s.mentorsOf[e].remove(at: i)
            s.pointsOf[e].remove(at: i)
        }
        s.menteesOf[m].removeAll { $0 == e }
        if s.mentorsOf[e].isEmpty { for k in rows.indices { s.slack[k] -= accessDelta(e, k) } }
        if let r = reach { s.slack[r] -= reachDelta(m, e) }
        s.load[m] -= 1
        if departmentCap != nil { s.departmentLoad[departmentKey(m, e), default: 0] -= 1 }
    }

    /// A cohort keeping every rule, built from `pairs` (which must keep places, capacities and
    /// department caps); `nil` only when the locked pairs alone break a row.
    func repair(_ pairs: [(mentor: Int, mentee: Int)], locked: Set<UInt64>) -> [(mentor: Int, mentee: Int)]? {
        let nE = instance.mentees.count
        var s = State(
            mentorsOf: Array(repeating: [], count: nE), pointsOf: Array(repeating: [], count: nE),
            menteesOf: Array(repeating: [], count: instance.mentors.count),
            load: Array(repeating: 0, count: instance.mentors.count),
            slack: rows.map { -$0.rhs }, locked: locked)
        for p in pairs where !s.has(p.mentor, p.mentee) { add(&s, p.mentor, p.mentee, points: instance.points(mentor: p.mentor, mentee: p.mentee)) }
        guard drop(&s) else { return nil }
        addMentees(&s)
        movePairs(&s)
        addMentees(&s)
        var out: [(mentor: Int, mentee: Int)] = []
        for (e, ms) in s.mentorsOf.enumerated() { for m in ms { out.append((m, e)) } }
        return out
    }

    private func drop(_ s: inout State) -> Bool {
        while deficit(s.slack) > 0 {
            // Removals alike in their row changes form a class (the mentee's access column when
            // it loses its only mentor, else none; the pair's reach side): the deficit after a
            // removal is the class's, and within a class the cheapest pair goes.
            var cheapest: [Int: (m: Int, e: Int, loss: Int64)] = [:]
            for e in s.mentorsOf.indices {
                let unmatches = s.mentorsOf[e].count == 1
                for (i, m) in s.mentorsOf[e].enumerated() where !s.locked.contains(MatchInstance.pairKey(m, e)) {
                    let loss = (unmatches ? w * coverageWeight[e] : 0) + Int64(s.pointsOf[e][i])
                    let key = (unmatches ? accessClass[e] + 1 : 0) * 3 + reachClass(m, e)
                    if cheapest[key].map({ loss < $0.loss }) ?? true { cheapest[key] = (m, e, loss) }
                }
            }
            var best: (m: Int, e: Int, deficit: Double, loss: Int64)?
            // Classes in a fixed order: ties go to the same removal in every run (dictionary order
            // changes from run to run).
            for (_, c) in cheapest.sorted(by: { $0.key < $1.key }) {
                let unmatches = s.mentorsOf[c.e].count == 1
                var d = 0.0
                for k in rows.indices {
                    var v = s.slack[k]
                    if unmatches { v -= accessDelta(c.e, k) }
                    if k == reach { v -= reachDelta(c.m, c.e) }
                    if v < 0 { d += Double(-v) / scale[k] }
                }
                if best.map({ d < $0.deficit || (d == $0.deficit && c.loss < $0.loss) }) ?? true { best = (c.m, c.e, d, c.loss) }
            }
            guard let b = best else { return false }
            remove(&s, b.m, b.e)
        }
        return true
    }

    /// 0: the mentor is not at the reach location; 1: it is and the mentee is outside; 2: inside.
    private func reachClass(_ m: Int, _ e: Int) -> Int {
        guard let r = reach, rows[r].atLocation[m] else { return 0 }
        return rows[r].outside[e] ? 1 : 2
    }

    private func rowsHold(_ slack: [Int64], plus access: Int?, reachChange: Int64) -> Bool {
        for k in rows.indices {
            var v = slack[k]
            if let e = access { v += accessDelta(e, k) }
            if k == reach { v += reachChange }
            if v < 0 { return false }
        }
        return true
    }

    /// Gives mentees with a free place a mentor, by the best path of length one or three.
    private func addMentees(_ s: inout State) {
        let order = s.mentorsOf.indices.sorted { (coverageWeight[$0], $0) > (coverageWeight[$1], $1) }
        for _ in 0..<2 {
            var changed = false
            for e in order where s.mentorsOf[e].count < limit[e] && s.work < workLimit {
                let newlyMatched = s.mentorsOf[e].isEmpty ? e : nil
                // Best (gain, mentor, displaced mentee and its new mentor).
                var best: (gain: Int64, m: Int, points: Int, moved: (e: Int, to: Int, points: Int)?)?
                for (rank, c) in eligible[e].enumerated() where !s.has(c.mentor, e) {
                    let m = c.mentor
                    if hasRoom(s, m, e) {
                        if rowsHold(s.slack, plus: newlyMatched, reachChange: reachDelta(m, e)),
                            best.map({ Int64(c.points) > $0.gain }) ?? true
                        {
                            best = (Int64(c.points), m, c.points, nil)
                        }
                        continue
                    }
                    // Paths through a full mentor: among the mentee's best mentors only.
                    guard rank < pathBreadth else { continue }
                    // m has no room for e: e2 leaves m for a mentor m2 with room, e takes its place.
                    for e2 in s.menteesOf[m] where !s.locked.contains(MatchInstance.pairKey(m, e2)) {
                        if let cap = departmentCap {
                            let same: Int = menteeDepartment[e2] == menteeDepartment[e] ? 1 : 0
                            guard s.departmentLoad[departmentKey(m, e), default: 0] - same < cap else { continue }
                        }
                        let lost = Int64(s.pointsOf[e2][s.mentorsOf[e2].firstIndex(of: m) ?? 0])
                        s.work += min(pathBreadth, eligible[e2].count)
                        for c2 in eligible[e2].prefix(pathBreadth) where c2.mentor != m && !s.has(c2.mentor, e2) && hasRoom(s, c2.mentor, e2) {
                            let gain = Int64(c.points) + Int64(c2.points) - lost
                            guard best.map({ gain > $0.gain }) ?? true else { continue }
                            let change = reachDelta(m, e) + reachDelta(c2.mentor, e2) - reachDelta(m, e2)
                            guard rowsHold(s.slack, plus: newlyMatched, reachChange: change) else { continue }
                            best = (gain, m, c.points, (e2, c2.mentor, c2.points))
                        }
                    }
                }
                guard let b = best else { continue }
                // A second mentor for an already matched mentee only when it adds points.
                if newlyMatched == nil && b.gain <= 0 { continue }
                if let mv = b.moved {
                    remove(&s, b.m, mv.e)
                    add(&s, mv.to, mv.e, points: mv.points)
                }
                add(&s, b.m, e, points: b.points)
                changed = true
            }
            if !changed { break }
        }
    }

    /// Moves single pairs to better mentors with room while every row holds.
    private func movePairs(_ s: inout State) {
        for _ in 0..<3 {
            var changed = false
            for e in s.mentorsOf.indices where s.work < workLimit {
                for (i, m) in s.mentorsOf[e].enumerated() where !s.locked.contains(MatchInstance.pairKey(m, e)) {
                    s.work += eligible[e].count
                    let have = s.pointsOf[e][i]
                    var best: (m: Int, points: Int)?
                    for c in eligible[e] where c.points > (best?.points ?? have) && !s.has(c.mentor, e) && hasRoom(s, c.mentor, e) {
                        let change = reachDelta(c.mentor, e) - reachDelta(m, e)
                        guard rowsHold(s.slack, plus: nil, reachChange: change) else { continue }
                        best = (c.mentor, c.points)
                    }
                    if let b = best {
                        remove(&s, m, e)
                        add(&s, b.m, e, points: b.points)
                        changed = true
                        break
                    }
                }
            }
            if !changed { break }
        }
    }
}
