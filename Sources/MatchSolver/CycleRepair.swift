import MatchModel

/// Closes part of a Lagrangian gap between two cohorts: `feasible` keeps every
/// access/reach row, `better` is worth more but breaks some. Their difference,
/// as flows in the matching network (source → mentee → [department node] →
/// mentor → sink, with a return arc), splits into cycles; applying any subset
/// of a conformal cycle decomposition to `feasible` gives a cohort within every
/// capacity, place and department cap. Cycles are applied greedily — those
/// that gain value at the least cost in row slack first — while every row
/// still holds; a gaining cycle that does not fit may be funded by cycles that
/// give slack back at a smaller loss of value. The result is checked like any
/// other cohort by the caller.
struct CycleRepair {
    let instance: MatchInstance
    let rows: [SideRow]
    let layer: DepartmentLayer
    /// `W`: the value of one unit of coverage weight.
    let w: Int64

    private enum Arc: Hashable {
        case first(mentee: Int)  // source → mentee, the place that counts as matched
        case more(mentee: Int)  // source → mentee, further places
        case pair(mentor: Int, mentee: Int)
        case layer(node: Int, mentor: Int)
        case sink(mentor: Int)
        case back  // sink → source
    }

    private func nodes(_ arc: Arc) -> (Int, Int) {
        let nodes = MatchNetworkLayout(instance)
        switch arc {
        case .first(let e), .more(let e): return (nodes.source, nodes.mentee(e))
        case .pair(let m, let e):
            let target = layer.node(mentor: m, mentee: e).map { nodes.layer($0) } ?? nodes.mentor(m)
            return (nodes.mentee(e), target)
        case .layer(let node, let m): return (nodes.layer(node), nodes.mentor(m))
        case .sink(let m): return (nodes.mentor(m), nodes.sink)
        case .back: return (nodes.sink, nodes.source)
        }
    }

    /// A total order on arcs: endpoints, then kind.
    private func order(_ arc: Arc) -> (Int, Int, Int) {
        let (u, v) = nodes(arc)
        let kind: Int
        switch arc {
        case .first: kind = 0
        case .more: kind = 1
        default: kind = 2  // at most one arc of the other kinds joins two nodes
        }
        return (u, v, kind)
    }

    private func flow(_ pairs: [(mentor: Int, mentee: Int)], locked: Set<UInt64>) -> [Arc: Int] {
        var f: [Arc: Int] = [:]
        var count = [Int: Int]()
        for p in pairs where !locked.contains(MatchInstance.pairKey(p.mentor, p.mentee)) {
            f[.pair(mentor: p.mentor, mentee: p.mentee), default: 0] += 1
            count[p.mentee, default: 0] += 1
            if let node = layer.node(mentor: p.mentor, mentee: p.mentee) { f[.layer(node: node, mentor: p.mentor), default: 0] += 1 }
            f[.sink(mentor: p.mentor), default: 0] += 1
            f[.back, default: 0] += 1
        }
        let lockedMentees = Set(pairs.filter { locked.contains(MatchInstance.pairKey($0.mentor, $0.mentee)) }.map(\.mentee))
        for (e, c) in count {
            if lockedMentees.contains(e) {
                f[.more(mentee: e), default: 0] += c
            } else {
                f[.first(mentee: e)] = 1
                if c > 1 { f[.more(mentee: e)] = c - 1 }
            }
        }
        return f
    }

    private typealias Cycle = [(arc: Arc, forward: Bool)]

    /// A cycle's change of value and of every row's slack.
    private struct Effect {
        var value: Int64
        var slack: [Int64]
        var cycle: Cycle
    }

    /// Moves `feasible` towards `better` by the cycles of their difference that keep every row.
    func repair(
        feasible: [(mentor: Int, mentee: Int)], better: [(mentor: Int, mentee: Int)],
        locked: Set<UInt64>
    ) -> [(mentor: Int, mentee: Int)] {
        let effects = differenceCycles(from: flow(feasible, locked: locked), to: flow(better, locked: locked)).map(effect)
        // Cycles that gain value (best value per unit of slack spent first), and
        // cycles that lose a little value but give slack back: one of those may
        // fund a gaining cycle that does not fit, when it costs less than it brings.
        var gaining = effects.filter { $0.value > 0 }
        var funding = effects.filter { $0.value <= 0 && $0.slack.allSatisfy { $0 >= 0 } && $0.slack.contains { $0 > 0 } }
        func cost(_ e: Effect) -> Int64 { e.slack.reduce(0) { $0 + max(0, -$1) } }
        gaining.sort { Double($0.value) / Double(1 + cost($0)) > Double($1.value) / Double(1 + cost($1)) }
        funding.sort { Double(-$0.value) / Double($0.slack.reduce(0, +)) < Double(-$1.value) / Double($1.slack.reduce(0, +)) }

        var state = CohortState(feasible, repair: self)
        // One binding row: choose the cycles exactly (a knapsack on that row's slack).
        if let chosen = Self.knapsack(
            gaining: gaining.map { ($0.value, $0.slack) }, funding: funding.map { ($0.value, $0.slack) },
            slack: state.slack),
            state.attempt(chosen.gaining.map { gaining[$0] } + chosen.funding.map { funding[$0] }, repair: self)
        {
            return state.cohort
        }
        var used = [Bool](repeating: false, count: funding.count)
        for e in gaining {
            if zip(state.slack, e.slack).allSatisfy({ $0 + $1 >= 0 }), state.attempt([e], repair: self) { continue }
            // Fund the shortfall with the cheapest slack-giving cycles, if they cost less than e brings.
            var after = zip(state.slack, e.slack).map { $0 + $1 }
            var chosen: [Int] = []
            var spent: Int64 = 0
            for (i, f) in funding.enumerated() where !used[i] && spent - f.value < e.value {
                guard zip(after, f.slack).contains(where: { $0 < 0 && $1 > 0 }) else { continue }
                chosen.append(i)
                spent -= f.value
                for k in after.indices { after[k] += f.slack[k] }
                if after.allSatisfy({ $0 >= 0 }) { break }
            }
            guard after.allSatisfy({ $0 >= 0 }), spent < e.value, state.attempt(chosen.map { funding[$0] } + [e], repair: self) else { continue }
            for i in chosen { used[i] = true }
        }
        return state.cohort
    }

    /// The difference of two circulations as cycles: walk unused unit edges (+1 along an arc where
    /// `b` has more flow, against it where less) until a node repeats. Every node has as many edges
    /// in as out, so a walk never gets stuck. Arcs and start nodes in a fixed order (dictionary order
    /// changes from run to run), so the same cohorts always give the same cycles and the same repair.
    private func differenceCycles(from a: [Arc: Int], to b: [Arc: Int]) -> [Cycle] {
        var out: [Int: Cycle] = [:]
        let arcs = Set(a.keys).union(b.keys).sorted { order($0) < order($1) }
        for arc in arcs {
            let d = (b[arc] ?? 0) - (a[arc] ?? 0)
            guard d != 0 else { continue }
            let (u, v) = nodes(arc)
            for _ in 0..<abs(d) {
                if d > 0 { out[u, default: []].append((arc, true)) } else { out[v, default: []].append((arc, false)) }
            }
        }
        var cycles: [Cycle] = []
        for start in out.keys.sorted() {
            while out[start]?.isEmpty == false {
                var path: Cycle = []
                var at: [Int: Int] = [start: 0]
                var node = start
                repeat {
                    guard let e = out[node]?.popLast() else { break }
                    path.append(e)
                    let (u, v) = nodes(e.arc)
                    node = e.forward ? v : u
                    if let i = at[node] {
                        // A cycle closes here; keep walking from this node with the prefix.
                        cycles.append(Array(path[i...]))
                        path.removeSubrange(i...)
                        at = at.filter { $0.value <= i }
                    } else {
                        at[node] = path.count
                    }
                } while !path.isEmpty
            }
        }
        return cycles
    }

    private func effect(_ c: Cycle) -> Effect {
        var value: Int64 = 0
        var slack = [Int64](repeating: 0, count: rows.count)
        for e in c {
            let sign: Int64 = e.forward ? 1 : -1
            switch e.arc {
            case .first(let m):
                value += sign * w * Int64(instance.people[instance.mentees[m]].priority.coverageWeight)
                for (k, r) in rows.enumerated() where !r.menteeCoefficient.isEmpty { slack[k] += sign * r.menteeCoefficient[m] }
            case .pair(let mentor, let mentee):
                value += sign * Int64(instance.points(mentor: mentor, mentee: mentee))
                for (k, r) in rows.enumerated() where !r.atLocation.isEmpty && r.atLocation[mentor] {
                    slack[k] += sign * (r.outside[mentee] ? r.outsideCoefficient : r.insideCoefficient)
                }
            default: break
            }
        }
        return Effect(value: value, slack: slack, cycle: c)
    }

    /// The cohort as cycles are applied: its pairs, places taken per mentee, row slacks.
    private struct CohortState {
        var pairs: Set<UInt64>
        var taken: [Int]
        var slack: [Int64]

        init(_ feasible: [(mentor: Int, mentee: Int)], repair: CycleRepair) {
            var matched = [Bool](repeating: false, count: repair.instance.mentees.count)
            for p in feasible { matched[p.mentee] = true }
            pairs = Set(feasible.map { MatchInstance.pairKey($0.mentor, $0.mentee) })
            taken = [Int](repeating: 0, count: repair.instance.mentees.count)
            for p in feasible { taken[p.mentee] += 1 }
            slack = repair.rows.map { $0.slack(pairs: feasible, matched: matched) }
        }

        var cohort: [(mentor: Int, mentee: Int)] { pairs.sorted().map { (mentor: Int($0 >> 32), mentee: Int($0 & 0xFFFF_FFFF)) } }

        /// Which place of a mentee a cycle moves ("first" or "more") is only a label: a cycle through a
        /// further place matches the mentee too when its first place is empty. So slacks follow the
        /// real change in who is matched, not the labels.
        mutating func apply(_ list: [Effect], rows: [SideRow]) {
            for e in list {
                for step in e.cycle {
                    guard case .pair(let m, let me) = step.arc else { continue }
                    let key = MatchInstance.pairKey(m, me)
                    let was = taken[me] > 0
                    if step.forward {
                        pairs.insert(key)
                        taken[me] += 1
                    } else {
                        pairs.remove(key)
                        taken[me] -= 1
                    }
                    let now = taken[me] > 0
                    for (k, r) in rows.enumerated() {
                        if !r.menteeCoefficient.isEmpty && was != now { slack[k] += now ? r.menteeCoefficient[me] : -r.menteeCoefficient[me] }
                        if !r.atLocation.isEmpty && r.atLocation[m] {
                            slack[k] += (step.forward ? 1 : -1) * (r.outside[me] ? r.outsideCoefficient : r.insideCoefficient)
                        }
                    }
                }
            }
        }

        /// Applies the cycles if every row still holds afterwards.
        mutating func attempt(_ list: [Effect], repair: CycleRepair) -> Bool {
            var next = self
            next.apply(list, rows: repair.rows)
            guard next.slack.allSatisfy({ $0 >= 0 }) else { return false }
            self = next
            return true
        }
    }

    /// Largest knapsack (items × capacity) solved exactly; beyond, the greedy choice.
    static let knapsackCellLimit = 200_000_000

    /// The best subset of cycles when a single row limits them: gaining cycles
    /// (value > 0) spend that row's slack, funding cycles (value ≤ 0) give slack
    /// back at a loss. Maximises the value gained while the row keeps a slack
    /// ≥ 0, by dynamic programming over the slack (every funding cycle taken
    /// first; leaving one out is then an item that frees its loss and costs its
    /// slack). `nil` when more than one row binds or the table
    /// would be too large. Other rows are checked by the caller.
    static func knapsack(
        gaining: [(value: Int64, slack: [Int64])], funding: [(value: Int64, slack: [Int64])],
        slack: [Int64]
    ) -> (gaining: [Int], funding: [Int])? {
        // A row binds when taking every gaining cycle could break it.
        let binding = slack.indices.filter { k in slack[k] + gaining.reduce(0) { $0 + min(0, $1.slack[k]) } < 0 }
        if binding.isEmpty { return (Array(gaining.indices), []) }
        guard binding.count == 1, let k = binding.first else { return nil }
        // Items: gaining cycles that spend slack, then funding cycles left out.
        var weight: [Int64] = [], value: [Int64] = [], owner: [(gaining: Bool, index: Int)] = []
        var free: [Int] = []
        for (i, g) in gaining.enumerated() {
            if g.slack[k] >= 0 {
                free.append(i)
                continue
            }
            weight.append(-g.slack[k])
            value.append(g.value)
            owner.append((true, i))
        }
        var capacity = slack[k] + gaining.reduce(0) { $0 + max(0, $1.slack[k]) }
        for (i, f) in funding.enumerated() where f.slack[k] > 0 {
            capacity += f.slack[k]
            weight.append(f.slack[k])
            value.append(-f.value)
            owner.append((false, i))
        }
        let total = weight.reduce(0, +)
        let c = Int(min(max(0, capacity), total))
        guard weight.count * (c + 1) <= Self.knapsackCellLimit else { return nil }
        // best[x]: most value within weight x; taken[i][x]: item i used in best[x] after items 0...i.
        var best = [Int64](repeating: 0, count: c + 1)
        let words = (c + 64) / 64
        var taken = [UInt64](repeating: 0, count: weight.count * words)
        for i in weight.indices {
            let wi = Int(weight[i]), vi = value[i]
            guard wi <= c else { continue }
            var x = c
            while x >= wi {
                let with = best[x - wi] + vi
                if with > best[x] {
                    best[x] = with
                    taken[i * words + x >> 6] |= 1 << UInt64(x & 63)
                }
                x -= 1
            }
        }
        var chosenGaining = free, chosenFunding: [Int] = []
        var inKnapsack = [Bool](repeating: false, count: weight.count)
        var x = c
        for i in weight.indices.reversed() where taken[i * words + x >> 6] & (1 << UInt64(x & 63)) != 0 {
            inKnapsack[i] = true
            x -= Int(weight[i])
        }
        for (i, o) in owner.enumerated() {
            if o.gaining { if inKnapsack[i] { chosenGaining.append(o.index) } } else if !inKnapsack[i] { chosenFunding.append(o.index) }
        }
        // Funding cycles that give no slack on this row stay out.
        return (chosenGaining, chosenFunding)
    }
}
