extension MinCostFlow {
    /// Solves the same problem as ``solve(source:sink:stop:)`` by cost scaling
    /// (Goldberg & Tarjan 1990; Goldberg 1997, "An efficient implementation of
    /// a scaling minimum-cost flow algorithm"): push–relabel refinements of an
    /// ε-optimal circulation, ε divided by `alpha` each round, costs scaled by
    /// N + 1 so that ε = 1 means optimal. The prices are then turned into exact
    /// integer potentials by label correction, so the result carries the same
    /// certificate as the primal–dual solve.
    ///
    /// - Complexity: O(N² A log(N C)) in theory; near-linear per refinement in practice.
    /// - Parameter warm: a previous optimum of this network before arcs were
    ///   appended; its flow and potentials seed the prices, and ε starts at the
    ///   largest violation instead of the largest cost.
    public func solveByCostScaling(source s: Int, sink t: Int, alpha: Int64 = 8, warm: Solution? = nil,
                                   stop: () -> Bool = { false }) -> (solution: Solution, complete: Bool) {
        let n = nodeCount, m = heads.count
        // Costs are multiplied by N + 1 below; when that could overflow, the
        // primal–dual solve (no scaling) answers instead.
        let largest = costs.lazy.map { $0.magnitude }.max() ?? 0
        if largest > UInt64(Int64.max / 8) / UInt64(n + 1) {
            return solve(source: s, sink: t, stop: stop)
        }
        // A circulation: a free return arc t → s, one unit more than can ever
        // flow, so it is never saturated and the potentials price it both ways
        // (π[t] = π[s] whenever flow moves).
        var returnCapacity: Int32 = 0
        for i in 0..<m where Int(tails[i]) == s { returnCapacity = returnCapacity &+ capacities[i] }
        returnCapacity = max(1, min(returnCapacity &+ 1, Int32.max / 4))
        let scale = Int64(n + 1)
        let useWarm = warm.map { $0.potential.count == n } ?? false
        var g = ResidualGraph(self, source: s, sink: t, returnArc: returnCapacity, scale: scale,
                              flow: useWarm ? warm!.flow : [])
        let first = g.first, to = g.to, cost = g.cost, mate = g.mate
        var maxCost: Int64 = 1
        for c in cost { maxCost = max(maxCost, abs(c)) }
        var price = [Int64](repeating: 0, count: n)
        var excess = [Int64](repeating: 0, count: n)
        var eps = maxCost
        if useWarm, let warm {
            // The previous flow (conserved, so no excess; set in the residual graph
            // above) and prices; ε just covers the worst violation.
            for v in 0..<n { price[v] = warm.potential[v] * scale }
            var worst: Int64 = 1
            for u in 0..<n {
                for a in first[u]..<first[u + 1] where g.cap[a] > 0 {
                    worst = max(worst, -(cost[a] + price[u] - price[Int(to[a])]))
                }
            }
            eps = worst * alpha  // the first refinement divides by alpha
        }
        var currentArc = [Int](repeating: 0, count: n)
        var queue = [Int32]()
        var inQueue = [Bool](repeating: false, count: n)
        var complete = true
        refinement: while eps > 1 {
            eps = max(1, eps / alpha)
            // Saturate every arc with negative reduced cost: an ε-optimal pseudo-flow.
            for u in 0..<n {
                let pu = price[u]
                for a in first[u]..<first[u + 1] where g.cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 {
                    let v = Int(to[a])
                    let delta = g.cap[a]
                    g.cap[a] = 0
                    g.cap[Int(mate[a])] += delta
                    excess[u] -= Int64(delta)
                    excess[v] += Int64(delta)
                }
            }
            queue.removeAll(keepingCapacity: true)
            for v in 0..<n {
                currentArc[v] = first[v]
                inQueue[v] = excess[v] > 0
                if excess[v] > 0 { queue.append(Int32(v)) }
            }
            var head = 0
            var work = 0
            while head < queue.count {
                let u = Int(queue[head]); head += 1
                inQueue[u] = false
                if head > 65_536 && head * 2 > queue.count { queue.removeFirst(head); head = 0 }
                work += 1
                if work & 4095 == 0 && stop() { complete = false; break refinement }
                // Discharge u.
                while excess[u] > 0 {
                    var a = currentArc[u]
                    let end = first[u + 1]
                    let pu = price[u]
                    while a < end {
                        if g.cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 { break }
                        a += 1
                    }
                    if a < end {
                        currentArc[u] = a
                        let v = Int(to[a])
                        let delta = Int32(min(Int64(g.cap[a]), excess[u]))
                        g.cap[a] -= delta
                        g.cap[Int(mate[a])] += delta
                        excess[u] -= Int64(delta)
                        excess[v] += Int64(delta)
                        if excess[v] > 0 && !inQueue[v] { inQueue[v] = true; queue.append(Int32(v)) }
                    } else {
                        // Relabel: the cheapest way out becomes admissible by ε.
                        var best = Int64.min
                        for b in first[u]..<end where g.cap[b] > 0 {
                            best = max(best, price[Int(to[b])] - cost[b])
                        }
                        if best == Int64.min { break }  // no residual arc out (cannot happen in a circulation)
                        price[u] = best - eps
                        currentArc[u] = first[u]
                    }
                }
            }
        }
        // Exact integer potentials on the original costs: start from the scaled
        // prices and correct labels until every residual arc is non-negative.
        var pi = [Int64](repeating: 0, count: n)
        for v in 0..<n {
            let q = price[v]
            pi[v] = q >= 0 ? q / scale : -((-q + scale - 1) / scale)
        }
        if complete {
            var inQ = [Bool](repeating: true, count: n)
            var q = [Int32]((0..<n).map { Int32($0) })
            var h = 0
            while h < q.count {
                let u = Int(q[h]); h += 1
                inQ[u] = false
                if h > 65_536 && h * 2 > q.count { q.removeFirst(h); h = 0 }
                // π[v] ≥ π[u] + c(u,v) must fail for no residual arc: lower π[v] … we keep
                // π as "distance-like" labels: rc = c + π[u] − π[v] ≥ 0 ⇔ π[v] ≤ π[u] + c.
                for a in first[u]..<first[u + 1] where g.cap[a] > 0 {
                    let v = Int(to[a])
                    let c = cost[a] / scale
                    if pi[v] > pi[u] + c {
                        pi[v] = pi[u] + c
                        if !inQ[v] { inQ[v] = true; q.append(Int32(v)) }
                    }
                }
            }
        }
        let (flow, totalCost) = g.flows(of: self)
        return (Solution(flow: flow, potential: pi, totalCost: totalCost, phases: 0, augmentations: 0), complete)
    }
}
