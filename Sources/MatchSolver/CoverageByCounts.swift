import FlowEngine
import Foundation
import MatchModel
import Optimization

/// The most coverage of any cohort keeping the access and reach rules, proven: a small integer
/// program over mentee-type counts, with the flow's condition cut in by linear pieces
/// (Benders decomposition; Kelley's cutting planes on a flow's value function).
///
/// Access rows read only how many mentees of each type are matched (``RuleRepair/MenteeTypes``),
/// and so does the coverage. Whether some cohort matches exactly `c[t]` mentees of each type t,
/// within the mentors' capacities and department caps, and keeps the reach row, is one
/// minimum-cost flow: source → type (`c[t]` units worth `P` each) → mentee → [department node →]
/// mentor → sink, each pair worth its reach coefficient. Flows with integer data have whole
/// optima, so that flow's most reach *is* the most reach of any cohort with those counts, and it
/// is a concave function of `c`. The program's coverage optimum is then the best count vector of
/// a master integer program (the access rows, the coverage objective, a few dozen columns) whose
/// flow keeps the reach row. At each count vector the master proposes:
/// - if the flow cannot route it, a **Hall cut**: the types the source still reaches in the
///   residual network get no more than the arcs leaving that part carry;
/// - if the flow's most reach breaks the row, a **reach cut**: the flow's potentials are a dual
///   solution, and weak duality bounds every other count vector's flow by a linear function of
///   its counts;
/// - otherwise the flow is a cohort with the master's coverage: the optimum.
///
/// Every cut holds for every cohort keeping the rules, so each master optimum bounds the coverage
/// even when the rounds stop early. The master's linear relaxation is the full model's (the same
/// flows, the same rows), so what this settles is exactly what GLPK's tree stalls on in large
/// models: rounding the counts. A handful of rounds is typical.
///
/// Requires one mentor a mentee and the eligible pairs of `repair` to be every eligible pair (a
/// proof over fewer pairs would not hold for the program).
struct CoverageByCounts {
    let repair: RuleRepair
    let engine: any IntegerProgramEngine
    /// At most this many master programs.
    var maxRounds = 300

    struct Result {
        /// No cohort keeping every rule has more coverage (the last master's optimum).
        var coverageBound: Int
        /// A cohort keeping every rule with that coverage, when the rounds settled it.
        var cohort: [(mentor: Int, mentee: Int)]?
        /// The flow with the same counts just below the reach price that keeps the row (more
        /// points, the reach row broken): a cohort moved towards it while every rule holds may gain.
        var belowPrice: [(mentor: Int, mentee: Int)]?
        var rounds: Int
    }

    typealias Cohort = [(mentor: Int, mentee: Int)]

    /// The rounds, from `start` (a cohort keeping every rule: the master's first incumbent), within
    /// `seconds`; among count vectors with the most coverage, the nearest to those of `towards` (a
    /// flow with many points, rules broken or not). `nil` when the program is not one this can
    /// settle, or no master was solved.
    func solve(locks: Cohort, start: Cohort?, towards: Cohort?, seconds: Double?, stop: () -> Bool) throws -> Result? {
        let instance = repair.instance
        guard instance.menteeLimit.allSatisfy({ $0 == 1 }), !repair.rows.isEmpty else { return nil }
        let clock = Clock(limit: seconds)
        guard var flow = CountFlow(repair, locks: locks) else { return nil }
        let types = flow.types
        let access = repair.rows.indices.filter { $0 != repair.reach }

        // Coverage first; among count vectors with the most, the nearest to `towards` (the counts of
        // a flow with many points): the cohort found there is a better start for the points.
        var master = IntegerProgram(name: "coverage_by_counts", direction: .maximize)
        /// Each variable's value at given counts (for the warm start).
        var derive: [([Double]) -> Double] = []
        let count = (0..<types.count).map { t in
            derive.append { $0[t] }
            return master.addVariable(name: "count_\(t)", lowerBound: 0, upperBound: Double(flow.available[t]), isInteger: true)
        }
        for r in access {
            let terms = (0..<types.count).map { (count[$0], Double(types.column[$0][r])) }
            master.addConstraint(name: "access_\(r)", terms: terms, lowerBound: Double(-flow.lockSlack[r]))
        }
        // Whole-number aggregates the branching can use: the coverage, the matched count and each
        // access row's group count (a row's members are the types with its larger coefficient).
        func aggregate(_ name: String, _ members: [Int], weight: @escaping (Int) -> Double) -> IntegerProgram.VariableID {
            let total = master.addVariable(
                name: name, lowerBound: 0, upperBound: members.reduce(0.0) { $0 + weight($1) * Double(flow.available[$1]) }, isInteger: true)
            master.addConstraint(name: name, terms: members.map { (count[$0], weight($0)) } + [(total, -1)], lowerBound: 0, upperBound: 0)
            derive.append { c in members.reduce(0.0) { $0 + weight($1) * c[$1] } }
            return total
        }
        let all = Array(0..<types.count)
        let coverage = aggregate("coverage", all) { Double(types.weight[$0]) }
        _ = aggregate("matched", all) { _ in 1 }
        for r in access {
            let top = all.map { types.column[$0][r] }.max() ?? 0
            _ = aggregate("group_\(r)", all.filter { types.column[$0][r] == top }) { _ in 1 }
        }
        let distance = towards.map(flow.counts(of:)) ?? []
        master.setObjective(coverage, Double(flow.available.reduce(1, +)))
        for (t, goal) in distance.enumerated() {
            let d = master.addVariable(
                name: "distance_\(t)", lowerBound: 0, upperBound: Double(max(goal, flow.available[t])), isInteger: false, objective: -1)
            master.addConstraint(name: "above_\(t)", terms: [(d, 1), (count[t], -1)], lowerBound: Double(-goal))
            master.addConstraint(name: "below_\(t)", terms: [(d, 1), (count[t], 1)], lowerBound: Double(goal))
            derive.append { abs($0[t] - Double(goal)) }
        }
        let warm = start.map { cohort -> [Double] in
            let c = flow.counts(of: cohort).map(Double.init)
            return derive.map { $0(c) }
        }
        var bound: Int?
        var rounds = 0
        for round in 1...maxRounds {
            rounds = round
            let left = clock.remaining
            if stop() || left.map({ $0 <= 0 }) == true { break }
            let parameters = SolveParameters(timeLimitSeconds: left, warmStart: warm.flatMap { master.isFeasible($0) ? $0 : nil })
            let solved = try engine.solve(master, parameters: parameters)
            guard solved.termination == .optimal, let values = solved.values else { break }
            let c = values.prefix(types.count).map { Int($0.rounded()) }
            let value = values[coverage.index]
            bound = Int(value.rounded()) + flow.lockedCoverage
            guard let verdict = flow.route(c, stop: stop) else { break }
            switch verdict {
            case .cohort(let pairs):
                // The flow kept the reach row at the most reach: the same counts with the most points.
                let best = flow.mostPoints(stop: stop)
                return Result(coverageBound: bound!, cohort: best?.keeping ?? pairs, belowPrice: best?.below, rounds: round)
            case .cut(let coefficients, let least):
                let terms = coefficients.map { (count[$0.type], Double($0.coefficient)) }
                master.addConstraint(name: "cut_\(round)", terms: terms, lowerBound: Double(least))
            }
        }
        return bound.map { Result(coverageBound: $0, cohort: nil, belowPrice: nil, rounds: rounds) }
    }
}

/// The flow of ``CoverageByCounts``: one network over every eligible pair, re-solved warm as the
/// counts change (a count is which unit arcs out of the source are worth `P` and which cost it).
private struct CountFlow {
    let types: RuleRepair.MenteeTypes
    /// Per type: its free mentees with a pair to a mentor with room.
    var available: [Int]
    /// Each row's slack from the locked pairs alone (the right side taken off).
    let lockSlack: [Int64]
    let lockedCoverage: Int
    private let repair: RuleRepair
    private let locks: [(mentor: Int, mentee: Int)]
    private let lockKeys: Set<UInt64>
    private let reachRow: Int?
    private let typeBase = 2
    private var network: MinCostFlow
    private var solution: MinCostFlow.Solution?
    /// Every arc as added (costs kept up to date): the dual bound is summed over them.
    private var tails: [Int] = [], heads: [Int] = [], caps: [Int] = [], costs: [Int64] = []
    /// Per type, its unit arcs out of the source.
    private var unitArcs: [[MinCostFlow.ArcID]] = []
    private var pairArcs: [(arc: MinCostFlow.ArcID, mentor: Int, mentee: Int, reach: Int64, points: Int64)] = []
    private let worth: Int64
    /// The counts the network's costs are set for.
    private var current: [Int]

    enum Verdict {
        case cohort(CoverageByCounts.Cohort)
        /// `Σ coefficient · count[type] ≥ least` holds for every cohort keeping the rules, not for the counts tried.
        case cut([(type: Int, coefficient: Int64)], least: Int64)
    }

    init?(_ repair: RuleRepair, locks: [(mentor: Int, mentee: Int)]) {
        let instance = repair.instance
        let nE = instance.mentees.count, nM = instance.mentors.count
        types = repair.menteeTypes()
        reachRow = repair.reach
        self.repair = repair
        self.locks = locks
        lockKeys = Set(locks.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
        lockSlack = SideRulePricing.slacks(repair.rows, locks, mentees: nE)
        var room = instance.capacity
        var fixed = [Bool](repeating: false, count: nE)
        var departmentRoom: [UInt64: Int] = [:]
        let cap = repair.departmentCap
        let departmentKey = repair.departmentKey
        var covered = 0
        for p in locks {
            room[p.mentor] -= 1
            if !fixed[p.mentee] { covered += Int(repair.coverageWeight[p.mentee]) }
            fixed[p.mentee] = true
            if let cap { departmentRoom[departmentKey(p.mentor, p.mentee), default: cap] -= 1 }
        }
        // Locks beyond a mentor's places or a department cap, or a mentee locked twice: no cohort
        // keeps them, and the flow would not say so.
        guard room.allSatisfy({ $0 >= 0 }), departmentRoom.values.allSatisfy({ $0 >= 0 }), Set(locks.map(\.mentee)).count == locks.count
        else { return nil }
        lockedCoverage = covered
        func open(_ m: Int, _ e: Int) -> Bool {
            room[m] > 0 && (cap.map { c in departmentRoom[departmentKey(m, e), default: c] > 0 } ?? true)
        }
        let menteeBase = typeBase + types.count, mentorBase = menteeBase + nE
        var nodeCount = mentorBase + nM
        var departmentNode: [UInt64: Int] = [:]
        var available = [Int](repeating: 0, count: types.count)
        let listed: [[(mentor: Int, points: Int)]] = (0..<nE).map { e in
            fixed[e] ? [] : repair.eligible[e].filter { open($0.mentor, e) }
        }
        for e in 0..<nE where !listed[e].isEmpty {
            available[types.typeOf[e]] += 1
            if let cap {
                for m in listed[e].map(\.mentor) where instance.capacity[m] > cap && departmentNode[departmentKey(m, e)] == nil {
                    departmentNode[departmentKey(m, e)] = nodeCount
                    nodeCount += 1
                }
            }
        }
        self.available = available
        // A unit's worth P exceeds the reach along any simple path (fewer arcs than nodes), so the
        // flow routes every unit it can. (P only speeds the rounds: every cut is checked.)
        var reachRange: Int64 = 0
        if let r = repair.reach {
            reachRange = (abs(repair.rows[r].outsideCoefficient) + abs(repair.rows[r].insideCoefficient)) * Int64(nodeCount + 1)
        }
        worth = reachRange + 1
        // Costs stay far from overflow: P per unit over every mentee, and potentials along paths.
        guard Int128(worth) * Int128(nodeCount + nE + 2) * 4 < Int128(1) << 62 else { return nil }
        current = [Int](repeating: 0, count: types.count)
        network = MinCostFlow(nodeCount: nodeCount)
        for t in 0..<types.count {
            unitArcs.append((0..<available[t]).map { _ in addArc(0, typeBase + t, 1, worth) })
        }
        for e in 0..<nE where !listed[e].isEmpty {
            addArc(typeBase + types.typeOf[e], menteeBase + e, 1, 0)
            for (m, points) in listed[e] {
                let reach = repair.reachDelta(m, e)
                let target = departmentNode[departmentKey(m, e)] ?? mentorBase + m
                pairArcs.append((addArc(menteeBase + e, target, 1, -reach), m, e, reach, Int64(points)))
            }
        }
        if let cap {
            for (key, node) in departmentNode.sorted(by: { $0.value < $1.value }) {
                addArc(node, mentorBase + Int(key >> 32), max(0, departmentRoom[key] ?? cap), 0)
            }
        }
        for m in 0..<nM where room[m] > 0 { addArc(mentorBase + m, 1, room[m], 0) }
    }

    @discardableResult
    private mutating func addArc(_ u: Int, _ v: Int, _ capacity: Int, _ cost: Int64) -> MinCostFlow.ArcID {
        tails.append(u)
        heads.append(v)
        caps.append(capacity)
        costs.append(cost)
        return network.addArc(from: u, to: v, capacity: capacity, cost: cost)
    }

    /// Matched mentees of each type in a cohort, locked ones left out.
    func counts(of cohort: CoverageByCounts.Cohort) -> [Int] { repair.counts(cohort, types: types, locked: lockKeys) }

    /// The flow at counts `c`: a cohort, or a cut that `c` breaks; `nil` if the flow did not finish
    /// or no cut could be proven (then the rounds stop, with the bound so far).
    mutating func route(_ c: [Int], stop: () -> Bool) -> Verdict? {
        for t in c.indices where c[t] != current[t] {
            for k in min(c[t], current[t])..<max(c[t], current[t]) {
                let cost = k < c[t] ? -worth : worth
                costs[unitArcs[t][k].index] = cost
                network.setCost(unitArcs[t][k], cost)
            }
        }
        current = c
        let (sol, complete) =
            solution.map { network.reoptimize(source: 0, sink: 1, from: $0, stop: stop) } ?? network.solve(source: 0, sink: 1, stop: stop)
        guard complete else { return nil }
        solution = sol
        let flow = sol.flow
        let short = (0..<types.count).contains { t in (0..<c[t]).contains { flow[unitArcs[t][$0].index] == 0 } }
        if short { return hallCut(flow) }
        let reach = pairArcs.reduce(Int64(0)) { $0 + (flow[$1.arc.index] > 0 ? $1.reach : 0) }
        let need = reachRow.map { -lockSlack[$0] } ?? 0
        let extra = (0..<types.count).contains { t in (c[t]..<available[t]).contains { flow[unitArcs[t][$0].index] > 0 } }
        if !extra && reach >= need {
            return .cohort(locks + pairArcs.filter { flow[$0.arc.index] > 0 }.map { ($0.mentor, $0.mentee) })
        }
        return reachCut(sol, need: need)
    }

    /// Among the cohorts with exactly the counts last routed (a cohort found there), the one with
    /// the most points that keeps the reach row, as far as a price on the row finds it: each pair
    /// worth its points plus the price times its reach coefficient, the least price that keeps the
    /// row by doubling and bisection (in sixteenths of a point), on this network of every pair.
    /// - Returns: that cohort, and the flow just below the price (nil when the row holds at price 0).
    mutating func mostPoints(stop: () -> Bool) -> (keeping: CoverageByCounts.Cohort, below: CoverageByCounts.Cohort?)? {
        guard solution != nil else { return nil }
        let need = reachRow.map { -lockSlack[$0] } ?? 0
        let scale: Int64 = 16
        let maxPoints = pairArcs.map(\.points).max() ?? 0
        let maxReach = pairArcs.map { abs($0.reach) }.max() ?? 0
        // A simple path has fewer arcs than the network has nodes.
        let units = Int64(network.nodeCount)
        let ceiling = 4 * scale * max(1, maxPoints)
        // Units worth more than any path's points and reach at the highest price: set once.
        let span = Int128(maxPoints * scale) + Int128(ceiling) * Int128(maxReach)
        let unit = span * Int128(2 * units + 2) + 1
        guard unit * Int128(units) < Int128(1) << 60, let p = Int64(exactly: unit) else { return nil }
        for t in unitArcs.indices {
            for (k, arc) in unitArcs[t].enumerated() { network.setCost(arc, k < current[t] ? -p : p) }
        }
        var last: MinCostFlow.Solution?
        /// The flow at reach price `price`: its cohort and reach, or nil (stopped, or not at the counts).
        func flow(_ price: Int64) -> (pairs: CoverageByCounts.Cohort, reach: Int64)? {
            for a in pairArcs where last == nil || a.reach != 0 { network.setCost(a.arc, -(a.points * scale + price * a.reach)) }
            let (sol, complete) =
                last.map { network.reoptimize(source: 0, sink: 1, from: $0, stop: stop) } ?? network.solve(source: 0, sink: 1, stop: stop)
            guard complete else { return nil }
            last = sol
            let f = sol.flow
            let exact = (0..<current.count).allSatisfy { t in
                unitArcs[t].indices.allSatisfy { k in (f[unitArcs[t][k].index] > 0) == (k < current[t]) }
            }
            let chosen = pairArcs.filter { f[$0.arc.index] > 0 }
            guard exact else { return nil }
            return (locks + chosen.map { ($0.mentor, $0.mentee) }, chosen.reduce(0) { $0 + $1.reach })
        }
        guard var below = flow(0) else { return nil }
        if below.reach >= need { return (below.pairs, nil) }
        var lo: Int64 = 0, hi: Int64 = max(1, scale * maxPoints / (8 * max(1, maxReach)))
        var keeping: CoverageByCounts.Cohort?
        while keeping == nil {
            guard let f = flow(hi) else { return nil }
            if f.reach >= need {
                keeping = f.pairs
            } else if hi < ceiling {
                (lo, hi, below) = (hi, min(ceiling, hi * 2), f)
            } else {
                return nil
            }
        }
        while hi - lo > max(1, hi / 16) {
            let mid = (lo + hi) / 2
            guard let f = flow(mid) else { break }
            if f.reach >= need { (hi, keeping) = (mid, f.pairs) } else { (lo, below) = (mid, f) }
        }
        return keeping.map { ($0, below.pairs) }
    }

    /// Every flow matching exactly `c′` of each type has `−cost = Σ_a −rc_a·f_a + v·(π_s − π_t)` with
    /// `v = Σ c′`, so its value is at most `D(π; c′) + (π_s − π_t)·Σ c′`, where
    /// `D(π; c′) = Σ_a cap_a·max(0, −rc_a)` is linear in `c′` (only the unit arcs' costs move with
    /// it). Its value is `P·Σ c′ + reach`, and keeping the row needs `reach ≥ need`: a linear
    /// inequality in `c′`, for any potentials π. With the optimal π it fails at the counts tried
    /// exactly when their flow's most reach falls short.
    private func reachCut(_ sol: MinCostFlow.Solution, need: Int64) -> Verdict? {
        let pi = sol.potential
        func gain(_ a: Int) -> Int128 { max(0, -(Int128(costs[a]) + Int128(pi[tails[a]]) - Int128(pi[heads[a]]))) }
        var d: Int128 = 0
        for a in costs.indices { d += Int128(caps[a]) * gain(a) }
        let shift = Int128(pi[0]) - Int128(pi[1]) - Int128(worth)
        // Per type: D's slope in c′[t] (one more unit at −P instead of +P), plus the shift.
        var terms: [(type: Int, coefficient: Int64)] = []
        var least = Int128(need) - d
        for t in 0..<types.count {
            var slope: Int128 = shift
            if !unitArcs[t].isEmpty {
                let delta = Int128(pi[typeBase + t]) - Int128(pi[0])
                slope += max(0, delta + Int128(worth)) - max(0, delta - Int128(worth))
            }
            least += Int128(current[t]) * (slope - shift)
            guard let coefficient = Int64(exactly: slope) else { return nil }
            if coefficient != 0 { terms.append((t, coefficient)) }
        }
        let atCounts = terms.reduce(Int128(0)) { $0 + Int128($1.coefficient) * Int128(current[$1.type]) }
        guard atCounts < least, let bound = Int64(exactly: least) else { return nil }
        return .cut(terms, least: bound)
    }

    /// The types the source reaches in the residual network (through the units the counts ask
    /// for) send at most what the saturated arcs leaving that part carry: `Σ c′[t] ≤ K`.
    private func hallCut(_ flow: [Int32]) -> Verdict? {
        let n = network.nodeCount
        var out = [[Int]](repeating: [], count: n), into = [[Int]](repeating: [], count: n)
        for a in tails.indices {
            out[tails[a]].append(a)
            into[heads[a]].append(a)
        }
        var reached = [Bool](repeating: false, count: n)
        reached[0] = true
        var queue = [0]
        var i = 0
        while i < queue.count {
            let u = queue[i]
            i += 1
            for a in out[u] where Int(flow[a]) < caps[a] && !reached[heads[a]] && (u != 0 || costs[a] < 0) {
                reached[heads[a]] = true
                queue.append(heads[a])
            }
            for a in into[u] where flow[a] > 0 && !reached[tails[a]] {
                reached[tails[a]] = true
                queue.append(tails[a])
            }
        }
        guard !reached[1] else { return nil }
        var carried = 0
        for a in tails.indices where tails[a] != 0 && reached[tails[a]] && !reached[heads[a]] { carried += caps[a] }
        let inside = (0..<types.count).filter { reached[typeBase + $0] }
        guard inside.reduce(0, { $0 + current[$1] }) > carried else { return nil }
        return .cut(inside.map { ($0, -1) }, least: -Int64(carried))
    }
}
