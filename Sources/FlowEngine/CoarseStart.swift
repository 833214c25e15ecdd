extension MinCostFlow {
    /// A start for ``solveByCostScaling(source:sink:alpha:warm:finishBelow:stop:between:)``
    /// that leaves out its coarse refinements: a flow and potentials optimal for the
    /// costs truncated to whole `unit`s, for networks where only arcs out of the source
    /// have such a part (a mentee's first place worth W · coverage weight, every pair's
    /// points below W).
    ///
    /// Under potentials `unit · d`, with `d` optimal for the truncated costs, every residual
    /// arc has a reduced cost of at least `−|cost − unit · (cost / unit)|` — at least minus
    /// the largest pair's points — so a warm scaling starts at ε ≈ points instead of ε ≈ W:
    /// at 100k × 25k the first seven refinements (ε from W down to the points, each a
    /// sweep of every arc) are not needed.
    ///
    /// The truncated problem — source arcs worth a few whole units, every other arc free — is
    /// a max flow by priority: the sets of source arcs a flow can fill form a (poly)matroid,
    /// so filling the dearest class first (max flow, Dinic), then the next with the earlier
    /// classes kept full (augmenting paths from the source never empty a source arc), is
    /// optimal. Its potentials are shortest distances in the residual graph (label
    /// correction; the distances span a few units).
    ///
    /// - Returns: `nil` when the network is not of that shape (an arc other than the
    ///   source's with a whole unit, an arc into the source or out of the sink, no source
    ///   arc worth a unit), or when the label correction does not settle (cannot happen for
    ///   an optimal flow; the solver then starts cold).
    public func coarseStart(source s: Int, sink t: Int, unit: Int64) -> Solution? {
        let n = nodeCount, m = heads.count
        guard unit >= 1, s != t else { return nil }
        var coarse = [Int64](repeating: 0, count: m)
        var classes = Set<Int64>()
        for i in 0..<m {
            if Int(heads[i]) == s || Int(tails[i]) == t { return nil }
            let k = costs[i] / unit  // toward zero: a pair's points (below the unit) count nothing
            if Int(tails[i]) == s {
                guard k <= 0 else { return nil }
                coarse[i] = k
                if k < 0 && capacities[i] > 0 { classes.insert(k) }
            } else if k != 0 {
                return nil
            }
        }
        guard !classes.isEmpty else { return nil }
        let g = ResidualGraph(self, source: s, sink: t)
        let first = g.first, to = g.to, cap = g.cap
        let slotOfArc = g.slotOfArc, arcOfSlot = g.arcOfSlot
        /// The truncated cost of a residual slot.
        @inline(__always) func slotCost(_ a: Int) -> Int64 {
            let i = Int(arcOfSlot[a])
            return Int(slotOfArc[i]) == a ? coarse[i] : -coarse[i]
        }

        // One class at a time: source arcs worth at least the class's units may start a path.
        var augmentations = 0
        var sent: Int64 = 0
        for k in classes.sorted() {
            let r = g.maximumFlow(from: s, to: t) { a, u in u != s || (slotCost(a) <= k && slotCost(a) < 0) }
            sent += r.sent
            augmentations += r.augmentations
        }

        // Potentials: shortest distances under the truncated costs from a virtual root at
        // every node, with the free return arc t → s (and s → t while it carries flow).
        var d = [Int64](repeating: 0, count: n)
        var inQueue = [Bool](repeating: true, count: n)
        var fifo = [Int32]((0..<n).map { Int32($0) })
        var head = 0
        var budget = 64 * (g.arcSlots + n)
        @inline(__always) func lower(_ v: Int, to value: Int64) {
            guard d[v] > value else { return }
            d[v] = value
            budget -= 1
            if !inQueue[v] { inQueue[v] = true; fifo.append(Int32(v)) }
        }
        while head < fifo.count {
            guard budget > 0 else { return nil }
            let u = Int(fifo[head]); head += 1
            inQueue[u] = false
            if head > 65_536 && head * 2 > fifo.count { fifo.removeFirst(head); head = 0 }
            for a in first[u]..<first[u + 1] where cap[a] > 0 { lower(Int(to[a]), to: d[u] + slotCost(a)) }
            if u == t { lower(s, to: d[t]) }
            if u == s && sent > 0 { lower(t, to: d[s]) }
        }
        var flow = [Int32](repeating: 0, count: m)
        var totalCost: Int64 = 0
        for i in 0..<m {
            flow[i] = capacities[i] - cap[Int(slotOfArc[i])]
            totalCost += Int64(flow[i]) * costs[i]
        }
        return Solution(flow: flow, potential: d.map { $0 * unit }, totalCost: totalCost, phases: 0, augmentations: augmentations)
    }
}
