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
        // Residual graph with a free return arc t → s (arc index m): a circulation.
        let total = m + 1
        func tail(_ i: Int) -> Int { i < m ? Int(tails[i]) : t }
        func head(_ i: Int) -> Int { i < m ? Int(heads[i]) : s }
        var degree = [Int32](repeating: 0, count: n + 1)
        for i in 0..<total { degree[tail(i)] += 1; degree[head(i)] += 1 }
        var first = [Int](repeating: 0, count: n + 1)
        for v in 0..<n { first[v + 1] = first[v] + Int(degree[v]) }
        var fill = first
        var to = [Int32](repeating: 0, count: 2 * total)
        var cap = [Int32](repeating: 0, count: 2 * total)
        var cost = [Int64](repeating: 0, count: 2 * total)
        var mate = [Int32](repeating: 0, count: 2 * total)
        var slotOfArc = [Int32](repeating: 0, count: total)
        var returnCapacity: Int32 = 0
        for i in 0..<m where Int(tails[i]) == s { returnCapacity = returnCapacity &+ capacities[i] }
        // One more than can ever flow: the return arc is never saturated, so the
        // potentials must price it both ways (π[t] = π[s] whenever flow moves).
        returnCapacity = max(1, min(returnCapacity &+ 1, Int32.max / 4))
        let scale = Int64(n + 1)
        var maxCost: Int64 = 1
        for i in 0..<total {
            let u = tail(i), v = head(i)
            let c: Int32 = i < m ? capacities[i] : returnCapacity
            let k: Int64 = (i < m ? costs[i] : 0) * scale
            maxCost = max(maxCost, abs(k))
            let a = fill[u]; fill[u] += 1
            let b = fill[v]; fill[v] += 1
            to[a] = Int32(v); cap[a] = c; cost[a] = k; mate[a] = Int32(b)
            to[b] = Int32(u); cap[b] = 0; cost[b] = -k; mate[b] = Int32(a)
            slotOfArc[i] = Int32(a)
        }
        var price = [Int64](repeating: 0, count: n)
        var excess = [Int64](repeating: 0, count: n)
        var eps = maxCost
        if let warm, warm.potential.count == n {
            // Previous flow (conserved, so no excess) and prices; ε just covers the worst violation.
            var returnFlow: Int64 = 0
            for i in 0..<min(warm.flow.count, m) {
                let f = warm.flow[i]
                guard f > 0 else { continue }
                let a = Int(slotOfArc[i])
                cap[a] -= f
                cap[Int(mate[a])] += f
                if Int(tails[i]) == s { returnFlow += Int64(f) }
                if Int(heads[i]) == s { returnFlow -= Int64(f) }
            }
            let r = Int(slotOfArc[m])
            let rf = Int32(clamping: returnFlow)
            cap[r] -= rf
            cap[Int(mate[r])] += rf
            for v in 0..<n { price[v] = warm.potential[v] * scale }
            var worst: Int64 = 1
            for u in 0..<n {
                for a in first[u]..<first[u + 1] where cap[a] > 0 {
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
                for a in first[u]..<first[u + 1] where cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 {
                    let v = Int(to[a])
                    let delta = cap[a]
                    cap[a] = 0
                    cap[Int(mate[a])] += delta
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
                        if cap[a] > 0 && cost[a] + pu - price[Int(to[a])] < 0 { break }
                        a += 1
                    }
                    if a < end {
                        currentArc[u] = a
                        let v = Int(to[a])
                        let delta = Int32(min(Int64(cap[a]), excess[u]))
                        cap[a] -= delta
                        cap[Int(mate[a])] += delta
                        excess[u] -= Int64(delta)
                        excess[v] += Int64(delta)
                        if excess[v] > 0 && !inQueue[v] { inQueue[v] = true; queue.append(Int32(v)) }
                    } else {
                        // Relabel: the cheapest way out becomes admissible by ε.
                        var best = Int64.min
                        for b in first[u]..<end where cap[b] > 0 {
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
                for a in first[u]..<first[u + 1] where cap[a] > 0 {
                    let v = Int(to[a])
                    let c = cost[a] / scale
                    if pi[v] > pi[u] + c {
                        pi[v] = pi[u] + c
                        if !inQ[v] { inQ[v] = true; q.append(Int32(v)) }
                    }
                }
            }
        }
        var flow = [Int32](repeating: 0, count: m)
        var totalCost: Int64 = 0
        for i in 0..<m {
            flow[i] = capacities[i] - cap[Int(slotOfArc[i])]
            totalCost += Int64(flow[i]) * costs[i]
        }
        return (Solution(flow: flow, potential: pi, totalCost: totalCost, phases: 0, augmentations: 0), complete)
    }
}
