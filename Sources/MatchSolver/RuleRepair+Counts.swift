import FlowEngine
import MatchModel

/// Cohorts chosen by their matched count in each mentee *type* — mentees alike in every access
/// row and in coverage weight. Access rows read only those counts, so every cohort with counts
/// that keep them keeps them; among such cohorts the best one is a minimum-cost flow
/// (``CountedNetwork``). The program's optimum is the
/// best of those flows over every count vector that keeps the rows, and the flows' value is a
/// concave function of the counts (a flow's optimum as the flow on a few arcs varies): near the
/// optimum, moving one matched place from one type to another is how a cohort improves. This is
/// the primal heuristic for programs whose access rules bind: from a cohort that keeps every
/// rule, exchange places between types while any exchange gains (``improveByCounts(_:towards:locked:keepReach:stop:)``).
/// The reach row reads pairs, not counts: it is priced into the flow (the least price that keeps
/// it, by bisection), and the cohort moved by cycles towards the flow just below that price.
extension RuleRepair {
    /// Mentee types: the access rows' columns and the coverage weight.
    struct MenteeTypes {
        /// Each mentee slot's type.
        let typeOf: [Int]
        /// Per type: how many mentees, their coverage weight, each access row's coefficient.
        let size: [Int]
        let weight: [Int64]
        let column: [[Int64]]
        var count: Int { size.count }
    }

    func menteeTypes() -> MenteeTypes {
        var index: [[Int64]: Int] = [:]
        var size: [Int] = [], weight: [Int64] = [], column: [[Int64]] = []
        let typeOf = instance.mentees.indices.map { e -> Int in
            let key = [Int64(accessClass[e]), coverageWeight[e]]
            if let t = index[key] {
                size[t] += 1
                return t
            }
            index[key] = size.count
            size.append(1)
            weight.append(coverageWeight[e])
            column.append(rows.map { $0.menteeCoefficient.isEmpty ? 0 : $0.menteeCoefficient[e] })
            return size.count - 1
        }
        return MenteeTypes(typeOf: typeOf, size: size, weight: weight, column: column)
    }

    /// Each mentee slot's mentor in a cohort (one mentor a mentee).
    func mentorOf(_ cohort: [(mentor: Int, mentee: Int)]) -> [Int?] {
        var own = [Int?](repeating: nil, count: instance.mentees.count)
        for p in cohort { own[p.mentee] = p.mentor }
        return own
    }

    /// Matched mentees of each type in a cohort, locked mentees left out.
    func counts(_ cohort: [(mentor: Int, mentee: Int)], types: MenteeTypes, locked: Set<UInt64>) -> [Int] {
        var fixed = Set<Int>()
        for p in cohort where locked.contains(MatchInstance.pairKey(p.mentor, p.mentee)) { fixed.insert(p.mentee) }
        var matched = Set<Int>()
        var out = [Int](repeating: 0, count: types.count)
        for p in cohort where !fixed.contains(p.mentee) && matched.insert(p.mentee).inserted { out[types.typeOf[p.mentee]] += 1 }
        return out
    }

    /// The best cohort with `counts[t]` matched mentees of each type (locked pairs kept as
    /// they are), as a network solved once and then re-solved warm for nearby counts and prices
    /// (``CountedNetwork``).
    func countedNetwork(
        _ types: MenteeTypes, counts: [Int], own: [Int?], locked: Set<UInt64>, reachPrice: Int64, priceScale: Int64
    ) -> CountedNetwork? {
        guard instance.menteeLimit.allSatisfy({ $0 == 1 }) else { return nil }
        return CountedNetwork(self, types, counts: counts, own: own, locked: locked, reachPrice: reachPrice, priceScale: priceScale)
    }
}

/// The counted flow: source → type (one unit arc per mentee of the type: free for the first
/// `counts[t]`, dearer than any place is worth beyond) → mentee (`W·weight`) → [mentor's
/// department node] → mentor → sink, each pair worth its points plus `reachPrice / priceScale`
/// per unit of the reach row it adds. With `W` above any points difference the flow fills every
/// type to its count when it can. Counts and the reach price change arc costs only, so a nearby
/// point is the previous optimum repaired (``MinCostFlow/reoptimize(source:sink:from:stop:)``).
///
/// The network holds each mentee's ``RuleRepair/reassignmentPairsPerMentee`` best pairs and its
/// pair in `own`, so its size does not grow with the roster's density (a heuristic: the proof is
/// elsewhere). One mentor a mentee only.
struct CountedNetwork {
    private var network: MinCostFlow
    private var solution: MinCostFlow.Solution
    private let unitArcs: [[MinCostFlow.ArcID]]
    private let pairArcs: [(arc: MinCostFlow.ArcID, mentor: Int, mentee: Int, points: Int64, reach: Int64)]
    private let locks: [(mentor: Int, mentee: Int)]
    private let penalty: Int64
    private let priceScale: Int64
    private let counts: [Int]
    private let reachPrice: Int64
    /// The cohort at the counts and reach price it was built with (locks included).
    private(set) var pairs: [(mentor: Int, mentee: Int)] = []

    init?(
        _ repair: RuleRepair, _ types: RuleRepair.MenteeTypes, counts: [Int], own: [Int?], locked: Set<UInt64>, reachPrice: Int64,
        priceScale: Int64
    ) {
        let instance = repair.instance
        let nE = instance.mentees.count, nM = instance.mentors.count
        var room = instance.capacity
        var fixed = [Bool](repeating: false, count: nE)
        var locks: [(mentor: Int, mentee: Int)] = []
        var departmentRoom: [UInt64: Int] = [:]
        let cap = repair.departmentCap
        let departmentKey = repair.departmentKey
        for e in 0..<nE {
            guard let m = own[e], locked.contains(MatchInstance.pairKey(m, e)) else { continue }
            room[m] -= 1
            fixed[e] = true
            locks.append((m, e))
            if let cap { departmentRoom[departmentKey(m, e), default: cap] -= 1 }
        }
        // Nodes: 0 source, 1 sink, types, mentees, mentors, then department nodes as needed.
        let typeBase = 2, menteeBase = typeBase + types.count, mentorBase = menteeBase + nE
        var departmentNode: [UInt64: Int] = [:]
        var nodeCount = mentorBase + nM
        let listed: [[(mentor: Int, points: Int)]] = (0..<nE).map { e in
            guard !fixed[e] else { return [] }
            return repair.eligible[e].enumerated().filter { i, c in
                room[c.mentor] > 0 && (i < repair.reassignmentPairsPerMentee || c.mentor == own[e])
            }.map(\.element)
        }
        if let cap {
            for e in 0..<nE {
                for c in listed[e] where instance.capacity[c.mentor] > cap {
                    let key = departmentKey(c.mentor, e)
                    if departmentNode[key] == nil {
                        departmentNode[key] = nodeCount
                        nodeCount += 1
                    }
                }
            }
        }
        let w = repair.w
        let penalty = 2 * w * (types.weight.max() ?? 1) * priceScale + 1
        var network = MinCostFlow(nodeCount: nodeCount)
        var unitArcs: [[MinCostFlow.ArcID]] = []
        for t in 0..<types.count {
            unitArcs.append(
                (0..<types.size[t]).map { k in network.addArc(from: 0, to: typeBase + t, capacity: 1, cost: k < counts[t] ? 0 : penalty) })
        }
        var pairArcs: [(arc: MinCostFlow.ArcID, mentor: Int, mentee: Int, points: Int64, reach: Int64)] = []
        for e in 0..<nE where !listed[e].isEmpty {
            let t = types.typeOf[e]
            network.addArc(from: typeBase + t, to: menteeBase + e, capacity: 1, cost: -w * types.weight[t] * priceScale)
            for c in listed[e] {
                let reach = repair.reachDelta(c.mentor, e)
                let target = departmentNode[departmentKey(c.mentor, e)] ?? mentorBase + c.mentor
                let gain = Int64(c.points) * priceScale + reachPrice * reach
                pairArcs.append((network.addArc(from: menteeBase + e, to: target, capacity: 1, cost: -gain), c.mentor, e, Int64(c.points), reach))
            }
        }
        if let cap {
            // Arcs in a fixed order, so ties between equal flows resolve the same way in every run.
            for (key, node) in departmentNode.sorted(by: { $0.value < $1.value }) {
                let m = Int(key >> 32)
                network.addArc(from: node, to: mentorBase + m, capacity: max(0, departmentRoom[key] ?? cap), cost: 0)
            }
        }
        for m in 0..<nM where room[m] > 0 { network.addArc(from: mentorBase + m, to: 1, capacity: room[m], cost: 0) }
        let (solution, complete) = network.solve(source: 0, sink: 1)
        guard complete else { return nil }
        self.network = network
        self.solution = solution
        self.penalty = penalty
        self.unitArcs = unitArcs
        self.pairArcs = pairArcs
        self.locks = locks
        self.priceScale = priceScale
        self.counts = counts
        self.reachPrice = reachPrice
        pairs = chosen(solution)
    }

    private func chosen(_ solution: MinCostFlow.Solution) -> [(mentor: Int, mentee: Int)] {
        locks + pairArcs.filter { solution.flow[$0.arc.index] > 0 }.map { ($0.mentor, $0.mentee) }
    }

    /// The cohort at other counts and another reach price, repaired from this optimum (this
    /// network unchanged), or `nil` if the repair did not finish.
    func cohort(counts new: [Int], reachPrice price: Int64) -> [(mentor: Int, mentee: Int)]? {
        var network = self.network
        for t in new.indices where new[t] != counts[t] {
            for k in min(new[t], counts[t])..<max(new[t], counts[t]) where k < unitArcs[t].count {
                network.setCost(unitArcs[t][k], k < new[t] ? 0 : penalty)
            }
        }
        if price != reachPrice {
            for p in pairArcs where p.reach != 0 { network.setCost(p.arc, -(p.points * priceScale + price * p.reach)) }
        }
        let (solution, complete) = network.reoptimize(source: 0, sink: 1, from: self.solution)
        return complete ? chosen(solution) : nil
    }
}

extension RuleRepair {
    /// W·coverage + points of a cohort.
    func worth(_ pairs: [(mentor: Int, mentee: Int)]) -> Int64 { SideRulePricing.value(instance, pairs, w: w) }

    /// Every row's slack in a cohort.
    func slacks(_ pairs: [(mentor: Int, mentee: Int)]) -> [Int64] { SideRulePricing.slacks(rows, pairs, mentees: instance.mentees.count) }

    /// A cohort of the count search: its counts, pairs, value and row slacks.
    private struct CountPoint {
        var counts: [Int]
        var pairs: [(mentor: Int, mentee: Int)]
        var value: Int64
        var slack: [Int64]
    }

    /// From a cohort that keeps every rule, moves one matched place at a time from one type to
    /// another of the same coverage weight, towards the counts of `towards` (flows that bound the
    /// program's optimum but break a rule: the optimum's counts are near theirs), while a move
    /// gains and keeps the access rows, until `work` counted flows and cycle repairs are spent (a
    /// budget of work, not of time: the same program gives the same cohort on any machine and
    /// under any load) or `stop()` says so. Each move is judged by its counted flow; when that
    /// flow breaks only the reach row, `keepReach(from, flow)` moves the current cohort towards it
    /// while every row holds (``CycleRepair``).
    /// - Returns: a better cohort that keeps every rule (locks included), or `nil`; and the work spent.
    func improveByCounts(
        _ cohort: [(mentor: Int, mentee: Int)], towards: [[(mentor: Int, mentee: Int)]], locked: Set<UInt64>,
        keepReach: ([(mentor: Int, mentee: Int)], [(mentor: Int, mentee: Int)]) -> [(mentor: Int, mentee: Int)],
        work: Int, stop: () -> Bool
    ) -> (cohort: [(mentor: Int, mentee: Int)]?, spent: Int) {
        guard instance.menteeLimit.allSatisfy({ $0 == 1 }), !rows.isEmpty else { return (nil, 0) }
        let types = menteeTypes()
        let targets = towards.map { counts($0, types: types, locked: locked) }
        var own = mentorOf(cohort)
        var current = CountPoint(
            counts: counts(cohort, types: types, locked: locked), pairs: cohort, value: worth(cohort), slack: slacks(cohort))
        let start = current.value
        let access = rows.indices.filter { $0 != reach }

        // Reach prices in sixteenths of a point per unit of the row.
        let scale: Int64 = 16
        let maxPoints = Int64(eligible.compactMap { $0.first?.points }.max() ?? 1)
        let ceiling = 4 * scale * maxPoints
        var price: Int64 = 0
        guard var base = countedNetwork(types, counts: current.counts, own: own, locked: locked, reachPrice: 0, priceScale: scale)
        else { return (nil, 0) }
        var spent = 0
        func stopped() -> Bool { spent >= work || stop() }
        func counted(_ counts: [Int], _ p: Int64) -> (pairs: [(mentor: Int, mentee: Int)], slack: [Int64])? {
            spent += 1
            guard let f = base.cohort(counts: counts, reachPrice: p) else { return nil }
            return (f, slacks(f))
        }
        /// The counted flow at `counts` that keeps the reach row at the least price (bisection from
        /// the last one), moved by cycles towards the flow just below that price.
        func point(_ counts: [Int]) -> CountPoint? {
            func flow(_ p: Int64) -> (pairs: [(mentor: Int, mentee: Int)], slack: [Int64])? { counted(counts, p) }
            guard var low = flow(0) else { return nil }
            guard access.allSatisfy({ low.slack[$0] >= 0 }) else { return nil }
            guard let r = reach, low.slack[r] < 0 else {
                return CountPoint(counts: counts, pairs: low.pairs, value: worth(low.pairs), slack: low.slack)
            }
            let coefficient = rows[r].largestCoefficient
            var lo: Int64 = 0, hi: Int64 = price > 0 ? price : max(1, scale * maxPoints / (100 * coefficient))
            var high: (pairs: [(mentor: Int, mentee: Int)], slack: [Int64])?
            while high == nil {
                guard let f = flow(hi) else { return nil }
                if f.slack[r] >= 0 {
                    high = f
                } else {
                    (lo, low) = (hi, f)
                    guard hi < ceiling else { return nil }
                    hi *= 2
                }
            }
            while hi - lo > max(1, hi / 16) {
                let mid = (lo + hi) / 2
                guard let f = flow(mid) else { return nil }
                if f.slack[r] >= 0 { (hi, high) = (mid, f) } else { (lo, low) = (mid, f) }
            }
            price = hi
            guard var best = high, access.allSatisfy({ best.slack[$0] >= 0 }) else { return nil }
            var value = worth(best.pairs)
            spent += 1
            let moved = keepReach(best.pairs, low.pairs)
            let movedSlack = slacks(moved), movedValue = worth(moved)
            if movedSlack.allSatisfy({ $0 >= 0 }), movedValue > value { (best, value) = ((moved, movedSlack), movedValue) }
            return CountPoint(counts: counts, pairs: best.pairs, value: value, slack: best.slack)
        }
        if let p = point(current.counts), p.value > current.value { current = p }
        var growing = true
        for _ in 0..<400 where !stopped() {
            // Moves from a type some target has fewer of to one some target has more of, largest differences first.
            var moves: [(from: Int, to: Int, weight: Int)] = []
            for from in 0..<types.count where current.counts[from] > 0 {
                let fewer = targets.map { current.counts[from] - $0[from] }.max() ?? 0
                guard fewer > 0 else { continue }
                for to in 0..<types.count where to != from && types.weight[to] == types.weight[from] && current.counts[to] < types.size[to] {
                    let more = targets.map { $0[to] - current.counts[to] }.max() ?? 0
                    guard more > 0, access.allSatisfy({ current.slack[$0] + types.column[to][$0] - types.column[from][$0] >= 0 })
                    else { continue }
                    moves.append((from, to, fewer * more))
                }
            }
            moves.sort { ($0.weight, $1.from, $1.to) > ($1.weight, $0.from, $0.to) }
            // More matched mentees first (any coverage is worth more than any points), until a growing
            // move finds no gain: each costs up to three counted flows with their price searches.
            var next: CountPoint? = growing ? grow(current, types, point) : nil
            if next == nil { growing = false }
            // One flow a move at the reach price so far; a price search for the first few only.
            for m in moves where next == nil && !stopped() {
                var counts = current.counts
                counts[m.from] -= 1
                counts[m.to] += 1
                guard let f = counted(counts, price), f.slack.allSatisfy({ $0 >= 0 }) else { continue }
                let value = worth(f.pairs)
                if value > current.value {
                    next = CountPoint(counts: counts, pairs: f.pairs, value: value, slack: f.slack)
                    break
                }
            }
            for m in moves.prefix(4) where next == nil && !stopped() {
                var counts = current.counts
                counts[m.from] -= 1
                counts[m.to] += 1
                if let p = point(counts), p.value > current.value { next = p }
            }
            guard let n = next else { break }
            current = n
            // The next moves start from this cohort's network (its own pairs listed).
            own = mentorOf(current.pairs)
            if let b = countedNetwork(types, counts: current.counts, own: own, locked: locked, reachPrice: price, priceScale: scale) { base = b }
        }
        return (current.value > start ? current.pairs : nil, spent)
    }

    /// A move that matches more mentees: exchanges keep the matched count, and one more mentee of
    /// any type alone breaks an access row whose slack is spent (every other group's share falls).
    /// Places are added one type at a time, each time to the type whose addition leaves the
    /// tightest access row the most room (the group that falls furthest behind), and each count
    /// vector that keeps every access row is tried as a counted flow; the first that gains is the
    /// move. At most ``growSteps`` places.
    private func grow(_ current: CountPoint, _ types: MenteeTypes, _ point: ([Int]) -> CountPoint?) -> CountPoint? {
        let access = rows.indices.filter { $0 != reach }
        guard !access.isEmpty else { return nil }
        var counts = current.counts
        var slack = current.slack
        var tried = 0
        for _ in 0..<growSteps {
            var choice: (type: Int, room: Double)?
            for t in 0..<types.count where counts[t] < types.size[t] {
                let room = access.map { Double(slack[$0] + types.column[t][$0]) / scale[$0] }.min() ?? 0
                if choice.map({ room > $0.room }) ?? true { choice = (t, room) }
            }
            guard let c = choice else { return nil }
            counts[c.type] += 1
            for r in access { slack[r] += types.column[c.type][r] }
            guard access.allSatisfy({ slack[$0] >= 0 }) else { continue }
            tried += 1
            if let p = point(counts), p.value > current.value { return p }
            if tried >= 3 { return nil }
        }
        return nil
    }
}
