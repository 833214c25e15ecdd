extension MinCostFlow {
    /// A start for ``solveByCostScaling(source:sink:alpha:warm:finishBelow:stop:between:)``
    /// that leaves out its coarse refinements: a flow and potentials optimal for the
    /// costs truncated to whole `unit`s — the unit being the cheapest priced source arc —
    /// for networks where only arcs out of the source have such a part (a mentee's first
    /// place worth W · coverage weight, every pair's points below W).
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
    ///   source's with a whole unit, an arc into the source or out of the sink, no priced
    ///   source arc), or when the label correction does not settle (cannot happen for
    ///   an optimal flow; the solver then starts cold).
    public func coarseStart(source s: Int, sink t: Int) -> Solution? {
        let n = nodeCount, m = heads.count
        // The unit: the cheapest first place (W · the lowest coverage weight).
        var unit = Int64.max
        for i in 0..<m where Int(tails[i]) == s && costs[i] < 0 && capacities[i] > 0 { unit = min(unit, -costs[i]) }
        guard unit != .max, s != t else { return nil }
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
        let closing: [(head: Int, cost: Int64)] = [(head: s, cost: 0)]
        var opening: [(head: Int, cost: Int64)] = []
        if sent > 0 { opening.append((head: t, cost: 0)) }
        guard
            g.correctLabels(
                &d, budget: 64 * (g.arcSlots + n), cost: slotCost,
                extra: { u in u == t ? closing : (u == s ? opening : []) })
        else { return nil }
        let (flow, totalCost) = g.flows(of: self)
        return Solution(flow: flow, potential: d.map { $0 * unit }, totalCost: totalCost, phases: 0, augmentations: augmentations)
    }
}
